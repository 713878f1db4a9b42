package io.parley.stt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A text frame from Deepgram's {@code /v1/listen} socket (PROTOCOLS.md 2.4), parsed. Times are
 * milliseconds on the socket's own clock, which starts at zero with each socket; {@link
 * Results#event(long)} and friends shift them onto the call's timeline.
 */
sealed interface DeepgramMessage {

  /** Parses one frame; never throws (a frame that is not JSON becomes {@link Unreadable}). */
  static DeepgramMessage parse(String text) {
    JsonNode json;
    try {
      json = JsonMapper.shared().readTree(text);
    } catch (JacksonException e) {
      return new Unreadable("not JSON: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      return new Unreadable("not a JSON object");
    }
    String type = json.path("type").asString("");
    return switch (type) {
      case "Results" -> results(json);
      case "SpeechStarted" -> new SpeechStarted(millis(json.path("timestamp")));
      case "UtteranceEnd" -> new UtteranceEnd(millis(json.path("last_word_end")));
      case "Metadata" ->
          new Metadata(json.path("request_id").asString(""), millis(json.path("duration")));
      default -> new Other(type);
    };
  }

  /**
   * A transcript segment. {@code start + duration} is how far the provider has processed the audio
   * when {@code isFinal}: everything before it is committed.
   */
  record Results(
      boolean isFinal,
      boolean speechFinal,
      boolean fromFinalize,
      long startMs,
      long durationMs,
      String transcript,
      double confidence,
      List<SttEvent.Word> words)
      implements DeepgramMessage {

    long endMs() {
      return startMs + durationMs;
    }

    /**
     * The event for the call: a {@link SttEvent.Partial} for a non-empty interim, a {@link
     * SttEvent.Final} for a final with text or with {@code speech_final}; empty otherwise (an empty
     * final during silence only moves the committed position).
     */
    Optional<SttEvent> event(long baseMs) {
      List<SttEvent.Word> shifted =
          words.stream()
              .map(
                  w ->
                      new SttEvent.Word(
                          w.text(),
                          w.punctuated(),
                          w.startMs() + baseMs,
                          w.endMs() + baseMs,
                          w.confidence()))
              .toList();
      if (!isFinal) {
        return transcript.isEmpty()
            ? Optional.empty()
            : Optional.of(new SttEvent.Partial(transcript, shifted, confidence));
      }
      if (transcript.isEmpty() && !speechFinal) {
        return Optional.empty();
      }
      return Optional.of(
          new SttEvent.Final(transcript, shifted, speechFinal, startMs + baseMs, endMs() + baseMs));
    }
  }

  /** Voice activity began at this point of the socket's audio. */
  record SpeechStarted(long atMs) implements DeepgramMessage {}

  /** The word gap after the last word reached {@code utterance_end_ms}. */
  record UtteranceEnd(long lastWordEndMs) implements DeepgramMessage {}

  /** Sent once at the end of a stream (after CloseStream). */
  record Metadata(String requestId, long durationMs) implements DeepgramMessage {}

  /** A message type this adapter does not use; ignored, so new provider messages break nothing. */
  record Other(String type) implements DeepgramMessage {}

  /** A frame that could not be read at all. */
  record Unreadable(String problem) implements DeepgramMessage {}

  private static Results results(JsonNode json) {
    JsonNode alternative = json.path("channel").path("alternatives").path(0);
    List<SttEvent.Word> words = new ArrayList<>();
    for (JsonNode w : alternative.path("words")) {
      String word = w.path("word").asString("");
      words.add(
          new SttEvent.Word(
              word,
              w.path("punctuated_word").asString(word),
              millis(w.path("start")),
              millis(w.path("end")),
              w.path("confidence").asDouble(0)));
    }
    return new Results(
        json.path("is_final").asBoolean(false),
        json.path("speech_final").asBoolean(false),
        json.path("from_finalize").asBoolean(false),
        millis(json.path("start")),
        millis(json.path("duration")),
        alternative.path("transcript").asString("").strip(),
        alternative.path("confidence").asDouble(0),
        List.copyOf(words));
  }

  /** Seconds as Deepgram sends them (float) to whole milliseconds. */
  private static long millis(JsonNode seconds) {
    return Math.round(seconds.asDouble(0) * 1000);
  }
}
