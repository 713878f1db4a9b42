package io.parley.sim.deepgram;

import io.parley.sim.http.Params;
import java.util.List;

/**
 * The {@code /v1/listen} query parameters the simulator honours, with Deepgram's defaults
 * (endpointing 10 ms, interim results and VAD events off).
 *
 * @param endpointing ms of silence that end an utterance; -1 when {@code endpointing=false}
 * @param utteranceEndMs 0 when not requested
 */
public record ListenParams(
    String model,
    String encoding,
    int sampleRate,
    boolean interimResults,
    boolean vadEvents,
    int endpointing,
    int utteranceEndMs,
    String language,
    List<String> keyterms,
    List<String> extra) {

  static ListenParams from(Params q) {
    String endpointing = q.first("endpointing").orElse("10");
    return new ListenParams(
        q.first("model").orElse("base"),
        q.first("encoding").orElse(null),
        Integer.parseInt(q.first("sample_rate").orElse("0")),
        Boolean.parseBoolean(q.first("interim_results").orElse("false")),
        Boolean.parseBoolean(q.first("vad_events").orElse("false")),
        endpointing.equals("false") ? -1 : Integer.parseInt(endpointing),
        Integer.parseInt(q.first("utterance_end_ms").orElse("0")),
        q.first("language").orElse("en"),
        q.all("keyterm"),
        q.all("extra"));
  }

  /** What is wrong with these parameters for this simulator, or null. */
  String problem() {
    if (!"mulaw".equals(encoding)) {
      return "the simulator transcribes encoding=mulaw only (Twilio audio)";
    }
    if (sampleRate != 8000) {
      return "sample_rate must be 8000 for mulaw telephone audio";
    }
    if (utteranceEndMs > 0 && !interimResults) {
      return "utterance_end_ms requires interim_results=true";
    }
    return null;
  }

  /** The call, from {@code extra=call_sid:<CallSid>} as Parley sends it in production. */
  public String callSid() {
    return extra.stream()
        .filter(e -> e.startsWith("call_sid:"))
        .map(e -> e.substring("call_sid:".length()))
        .findFirst()
        .orElse(null);
  }
}
