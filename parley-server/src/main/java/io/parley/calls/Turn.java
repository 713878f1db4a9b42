package io.parley.calls;

import java.time.Duration;
import java.time.Instant;

/**
 * A stored turn with its stage timestamps and the latencies derived from them (null when a stage is
 * missing).
 *
 * @param voiceToVoiceMs caller stopped speaking → first agent audio frame sent to Twilio
 * @param llmFirstTokenMs LLM request → first token
 * @param ttsFirstAudioMs first speakable chunk → first TTS audio
 */
public record Turn(
    int turn,
    Instant callerSpeechEnd,
    Instant sttFinal,
    Instant llmRequest,
    Instant llmFirstToken,
    Instant firstSpeakableChunk,
    Instant firstTtsAudio,
    Instant firstFrameSent,
    boolean interrupted,
    Long voiceToVoiceMs,
    Long llmFirstTokenMs,
    Long ttsFirstAudioMs) {

  static Turn of(int turn, TurnTimings t) {
    return new Turn(
        turn,
        t.callerSpeechEnd(),
        t.sttFinal(),
        t.llmRequest(),
        t.llmFirstToken(),
        t.firstSpeakableChunk(),
        t.firstTtsAudio(),
        t.firstFrameSent(),
        t.interrupted(),
        millis(t.callerSpeechEnd(), t.firstFrameSent()),
        millis(t.llmRequest(), t.llmFirstToken()),
        millis(t.firstSpeakableChunk(), t.firstTtsAudio()));
  }

  private static Long millis(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to).toMillis();
  }
}
