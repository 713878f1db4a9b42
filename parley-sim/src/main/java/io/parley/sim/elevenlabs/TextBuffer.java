package io.parley.sim.elevenlabs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The text ElevenLabs holds back until it would generate: the chunk-length schedule (120 characters
 * first, by default), {@code flush}, {@code try_trigger_generation} above a minimum size, or with
 * {@code auto_mode} a sentence end. One per stream-input socket, one per context on a
 * multi-stream-input socket.
 */
final class TextBuffer {
  static final List<Integer> DEFAULT_SCHEDULE = List.of(120, 160, 250, 290);
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?;:,]\\s*$");
  private static final int MIN_TRIGGER = 50;

  private final boolean autoMode;
  private final List<Integer> schedule;
  private final StringBuilder buffer = new StringBuilder();
  private int scheduleIndex;

  TextBuffer(boolean autoMode, List<Integer> schedule) {
    this.autoMode = autoMode;
    this.schedule = schedule;
  }

  /**
   * The {@code chunk_length_schedule} of a {@code generation_config} (items clamped to 50–500), or
   * {@code fallback} when there is none.
   */
  static List<Integer> schedule(JsonNode generationConfig, List<Integer> fallback) {
    JsonNode configured = generationConfig.path("chunk_length_schedule");
    if (!configured.isArray() || configured.isEmpty()) {
      return fallback;
    }
    List<Integer> s = new ArrayList<>();
    configured.forEach(n -> s.add(Math.clamp(n.asInt(), 50, 500)));
    return List.copyOf(s);
  }

  /** Adds a chunk of text; returns the text to generate now, empty when it is held back. */
  String add(String chunk, boolean flush, boolean tryTrigger) {
    buffer.append(chunk);
    if (flush) {
      return drain();
    }
    if (autoMode) {
      return SENTENCE_END.matcher(buffer).find() ? drain() : "";
    }
    if (tryTrigger && buffer.length() >= MIN_TRIGGER) {
      return drain();
    }
    if (buffer.length() >= schedule.get(scheduleIndex)) {
      // the whole buffer goes, not just the step's length (a simplification the README names)
      scheduleIndex = Math.min(scheduleIndex + 1, schedule.size() - 1);
      return drain();
    }
    return "";
  }

  /** Everything buffered, stripped, and the buffer emptied. */
  String drain() {
    String text = buffer.toString().strip();
    buffer.setLength(0);
    return text;
  }
}
