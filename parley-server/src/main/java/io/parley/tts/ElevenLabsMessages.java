package io.parley.tts;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The ElevenLabs {@code stream-input} wire format (PROTOCOLS.md 4.1), both directions. */
final class ElevenLabsMessages {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The default schedule: first audio once 120 characters are buffered. */
  static final List<Integer> CHUNK_LENGTH_SCHEDULE = List.of(120, 160, 250, 290);

  private ElevenLabsMessages() {}

  /** What the server sent. */
  sealed interface Incoming {
    record Audio(byte[] bytes, TtsEvent.Alignment alignment, boolean isFinal) implements Incoming {}

    record Final() implements Incoming {}

    record Error(String code, String message) implements Incoming {}

    record Unknown(String text) implements Incoming {}
  }

  /** The first message: a single space, the voice settings and the chunk schedule. */
  static String init() {
    ObjectNode m = JSON.createObjectNode();
    m.put("text", " ");
    ObjectNode voice = m.putObject("voice_settings");
    voice.put("stability", 0.5);
    voice.put("similarity_boost", 0.75);
    voice.put("style", 0.0);
    voice.put("use_speaker_boost", true);
    voice.put("speed", 1.0);
    var schedule = m.putObject("generation_config").putArray("chunk_length_schedule");
    CHUNK_LENGTH_SCHEDULE.forEach(schedule::add);
    return JSON.writeValueAsString(m);
  }

  /**
   * Text to add. Generation stays with the server's schedule ({@code try_trigger_generation} false)
   * unless {@code flush}, which speaks everything buffered now.
   */
  static String text(String text, boolean flush) {
    ObjectNode m = JSON.createObjectNode();
    m.put("text", text);
    m.put("try_trigger_generation", false);
    m.put("flush", flush);
    return JSON.writeValueAsString(m);
  }

  /** Keeps an idle socket open: a single space, which adds nothing audible. */
  static String keepAlive() {
    return "{\"text\":\" \"}";
  }

  /** End of input: the server speaks the rest, sends {@code isFinal} and closes. */
  static String close() {
    return "{\"text\":\"\"}";
  }

  static Incoming parse(String text) {
    JsonNode m;
    try {
      m = JSON.readTree(text);
    } catch (JacksonException e) {
      return new Incoming.Unknown(text);
    }
    if (m == null || !m.isObject()) {
      return new Incoming.Unknown(text);
    }
    if (m.hasNonNull("error")) {
      return new Incoming.Error(
          m.get("error").isString() ? m.get("error").asString() : m.get("error").toString(),
          m.path("message").asString(""));
    }
    boolean isFinal = m.path("isFinal").asBoolean(m.path("is_final").asBoolean(false));
    String audio = m.path("audio").isString() ? m.path("audio").asString() : null;
    if (audio != null && !audio.isEmpty()) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(audio);
      } catch (IllegalArgumentException e) {
        return new Incoming.Unknown(text);
      }
      JsonNode alignment = m.path("alignment");
      if (!alignment.isObject()) {
        alignment = m.path("normalizedAlignment");
      }
      return new Incoming.Audio(bytes, alignment(alignment), isFinal);
    }
    return isFinal ? new Incoming.Final() : new Incoming.Unknown(text);
  }

  private static TtsEvent.Alignment alignment(JsonNode a) {
    JsonNode chars = a.path("chars");
    JsonNode starts = a.path("charStartTimesMs");
    if (!chars.isArray() || !starts.isArray() || chars.size() != starts.size()) {
      return TtsEvent.Alignment.NONE;
    }
    List<String> c = new ArrayList<>(chars.size());
    List<Integer> s = new ArrayList<>(chars.size());
    for (int i = 0; i < chars.size(); i++) {
      c.add(chars.get(i).asString(""));
      s.add(starts.get(i).asInt(0));
    }
    return new TtsEvent.Alignment(c, s);
  }
}
