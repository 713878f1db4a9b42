package io.parley.tts;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The ElevenLabs {@code stream-input} wire format (PROTOCOLS.md 4.1), both directions. */
final class ElevenLabsMessages {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonFactory STREAMING = new JsonFactory();

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

  /**
   * Reads a server message with a streaming parse: an audio message is mostly one long base64
   * string and an alignment array of one-character strings, which a JSON tree turned into a node
   * per character (7 % of a loaded media loop's samples in a flight recording); the audio is
   * decoded straight from the parser's buffer. The rare error whose {@code error} is an object goes
   * through the tree, to keep its text.
   */
  static Incoming parse(String text) {
    String error = null;
    String message = "";
    Boolean isFinal = null;
    Boolean isFinalSnake = null;
    byte[] audio = null;
    boolean audioPresent = false;
    TtsEvent.Alignment alignment = null;
    TtsEvent.Alignment normalized = null;
    try (JsonParser p = STREAMING.createParser(ObjectReadContext.empty(), text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new Incoming.Unknown(text);
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "audio" -> {
            if (value == JsonToken.VALUE_STRING) {
              audioPresent = true;
              audio = p.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
            }
          }
          case "isFinal" -> isFinal = bool(value);
          case "is_final" -> isFinalSnake = bool(value);
          case "alignment" -> alignment = alignment(p);
          case "normalizedAlignment" -> normalized = alignment(p);
          case "error" -> {
            if (value == JsonToken.VALUE_STRING) {
              error = p.getString();
            } else if (value != JsonToken.VALUE_NULL) {
              return parseTree(text);
            }
          }
          case "message" -> message = value == JsonToken.VALUE_STRING ? p.getString() : "";
          default -> p.skipChildren();
        }
      }
    } catch (JacksonException | IllegalArgumentException e) {
      return new Incoming.Unknown(text);
    }
    if (error != null) {
      return new Incoming.Error(error, message);
    }
    // isFinal when it is a boolean, else is_final (the two spellings ElevenLabs has used)
    boolean last = isFinal != null ? isFinal : isFinalSnake != null && isFinalSnake;
    if (audioPresent && audio.length > 0) {
      TtsEvent.Alignment a =
          alignment != null ? alignment : normalized != null ? normalized : TtsEvent.Alignment.NONE;
      return new Incoming.Audio(audio, a, last);
    }
    return last ? new Incoming.Final() : new Incoming.Unknown(text);
  }

  private static Boolean bool(JsonToken value) {
    return value == JsonToken.VALUE_TRUE
        ? Boolean.TRUE
        : value == JsonToken.VALUE_FALSE ? false : null;
  }

  /** An alignment object, or null when the value is not one; NONE when its arrays disagree. */
  private static TtsEvent.Alignment alignment(JsonParser p) {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    List<String> chars = null;
    List<Integer> starts = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("chars") && value == JsonToken.START_ARRAY) {
        chars = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          chars.add(p.currentToken() == JsonToken.VALUE_STRING ? p.getString() : "");
          p.skipChildren();
        }
      } else if (name.equals("charStartTimesMs") && value == JsonToken.START_ARRAY) {
        starts = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          starts.add(p.currentToken().isNumeric() ? p.getValueAsInt() : 0);
          p.skipChildren();
        }
      } else {
        p.skipChildren();
      }
    }
    if (chars == null || starts == null || chars.size() != starts.size()) {
      return TtsEvent.Alignment.NONE;
    }
    return new TtsEvent.Alignment(chars, starts);
  }

  /** The whole message as a tree: for the rare shapes the streaming parse leaves to it. */
  private static Incoming parseTree(String text) {
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
      return new Incoming.Audio(bytes, treeAlignment(alignment), isFinal);
    }
    return isFinal ? new Incoming.Final() : new Incoming.Unknown(text);
  }

  private static TtsEvent.Alignment treeAlignment(JsonNode a) {
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
