package io.parley.telephony.twilio;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads and writes Media Streams frames. Reading walks the JSON tokens once, without building a
 * tree, because a call delivers fifty frames a second; writing builds the few outbound shapes
 * directly.
 */
public final class MediaStreamCodec {

  private static final JsonFactory JSON = new JsonFactory();
  private static final Base64.Decoder BASE64_IN = Base64.getDecoder();
  private static final Base64.Encoder BASE64_OUT = Base64.getEncoder();

  /** Parses one text frame from Twilio. */
  public StreamEvent parse(String frame) {
    Fields fields = new Fields();
    try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), frame)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedFrameException("a frame must be a JSON object");
      }
      readTopLevel(parser, fields);
    } catch (JacksonException e) {
      throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
    }
    return fields.toEvent();
  }

  /**
   * A frame of μ-law audio for Twilio to play after what it already holds. Built at its exact
   * length with the base64 written straight into it: this runs fifty times a second per call.
   */
  public String media(String streamSid, byte[] mulaw, int offset, int length) {
    byte[] slice = offset == 0 && length == mulaw.length ? mulaw : copy(mulaw, offset, length);
    byte[] base64 = BASE64_OUT.encode(slice);
    StringBuilder out =
        new StringBuilder(
            MEDIA_HEAD.length()
                + streamSid.length()
                + 2
                + MEDIA_MID.length()
                + base64.length
                + MEDIA_TAIL.length()
                + 8);
    out.append(MEDIA_HEAD);
    appendString(out, streamSid);
    out.append(MEDIA_MID);
    for (byte b : base64) {
      out.append((char) b);
    }
    return out.append(MEDIA_TAIL).toString();
  }

  static final String MEDIA_HEAD = "{\"event\":\"media\",\"streamSid\":";
  static final String MEDIA_MID = ",\"media\":{\"payload\":\"";
  static final String MEDIA_TAIL = "\"}}";
  static final String MARK_HEAD = "{\"event\":\"mark\",\"streamSid\":";
  static final String MARK_MID = ",\"mark\":{\"name\":";
  static final String MARK_TAIL = "}}";
  static final String CLEAR_HEAD = "{\"event\":\"clear\",\"streamSid\":";
  static final String CLEAR_TAIL = "}";

  /** Asks Twilio to echo {@code name} once everything sent before it has played. */
  public String mark(String streamSid, String name) {
    StringBuilder out = new StringBuilder(64 + streamSid.length() + name.length());
    out.append(MARK_HEAD);
    appendString(out, streamSid);
    out.append(MARK_MID);
    appendString(out, name);
    return out.append(MARK_TAIL).toString();
  }

  /** Tells Twilio to drop the audio it has not played yet (barge-in). */
  public String clear(String streamSid) {
    StringBuilder out = new StringBuilder(64);
    out.append(CLEAR_HEAD);
    appendString(out, streamSid);
    return out.append(CLEAR_TAIL).toString();
  }

  private static void readTopLevel(JsonParser parser, Fields fields) {
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "event" -> fields.event = text(parser, value, name);
        case "protocol" -> fields.protocol = text(parser, value, name);
        case "version" -> fields.version = text(parser, value, name);
        case "streamSid" -> fields.streamSid = text(parser, value, name);
        case "start", "media", "dtmf", "mark", "stop" -> readSection(parser, value, name, fields);
        default -> parser.skipChildren();
      }
    }
  }

  private static void readSection(JsonParser parser, JsonToken value, String section, Fields f) {
    if (value != JsonToken.START_OBJECT) {
      throw new MalformedFrameException("'" + section + "' must be an object");
    }
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      // Two switches rather than one on section + "." + name: no string is built per field.
      switch (section) {
        case "start" -> readStartField(parser, token, name, f);
        case "media" -> {
          switch (name) {
            case "track" -> f.track = text(parser, token, name);
            case "chunk" -> f.chunk = number(parser, token, name);
            case "timestamp" -> f.timestamp = number(parser, token, name);
            case "payload" -> f.payload = text(parser, token, name);
            default -> parser.skipChildren();
          }
        }
        case "dtmf" -> {
          if (name.equals("digit")) {
            f.digit = text(parser, token, name);
          } else {
            parser.skipChildren();
          }
        }
        case "mark" -> {
          if (name.equals("name")) {
            f.markName = text(parser, token, name);
          } else {
            parser.skipChildren();
          }
        }
        case "stop" -> {
          if (name.equals("callSid")) {
            f.callSid = text(parser, token, name);
          } else {
            parser.skipChildren();
          }
        }
        default -> parser.skipChildren();
      }
    }
  }

  private static void readStartField(JsonParser parser, JsonToken token, String name, Fields f) {
    switch (name) {
      case "streamSid" -> f.streamSid = text(parser, token, name);
      case "accountSid" -> f.accountSid = text(parser, token, name);
      case "callSid" -> f.callSid = text(parser, token, name);
      case "customParameters" -> readParameters(parser, token, f);
      case "mediaFormat" -> readMediaFormat(parser, token, f);
      default -> parser.skipChildren();
    }
  }

  private static void readParameters(JsonParser parser, JsonToken value, Fields f) {
    if (value != JsonToken.START_OBJECT) {
      throw new MalformedFrameException("'customParameters' must be an object");
    }
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      if (f.parameters == null) {
        f.parameters = new HashMap<>();
      }
      f.parameters.put(name, text(parser, parser.nextToken(), name));
    }
  }

  private static void readMediaFormat(JsonParser parser, JsonToken value, Fields f) {
    if (value != JsonToken.START_OBJECT) {
      throw new MalformedFrameException("'mediaFormat' must be an object");
    }
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      switch (name) {
        case "encoding" -> f.encoding = text(parser, token, name);
        case "sampleRate" -> f.sampleRate = (int) number(parser, token, name);
        case "channels" -> f.channels = (int) number(parser, token, name);
        default -> parser.skipChildren();
      }
    }
  }

  private static String text(JsonParser parser, JsonToken token, String name) {
    if (token == JsonToken.VALUE_STRING
        || token == JsonToken.VALUE_NUMBER_INT
        || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getString();
    }
    throw new MalformedFrameException("'" + name + "' must be a string");
  }

  // Twilio sends counters as strings ("chunk":"12"); numbers are accepted too.
  private static long number(JsonParser parser, JsonToken token, String name) {
    if (token == JsonToken.VALUE_NUMBER_INT) {
      return parser.getLongValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      try {
        return Long.parseLong(parser.getString());
      } catch (NumberFormatException e) {
        throw new MalformedFrameException("'" + name + "' must be a whole number");
      }
    }
    throw new MalformedFrameException("'" + name + "' must be a whole number");
  }

  private static byte[] copy(byte[] bytes, int offset, int length) {
    byte[] slice = new byte[length];
    System.arraycopy(bytes, offset, slice, 0, length);
    return slice;
  }

  // Stream ids and mark names are ours or Twilio's, but escape anyway so no value can break out.
  static void appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** What one frame said, gathered in any field order, then checked and turned into an event. */
  private static final class Fields {
    String event;
    String protocol;
    String version;
    String streamSid;
    String accountSid;
    String callSid;
    // Only a start message has parameters; media frames never pay for the map.
    Map<String, String> parameters;
    String encoding;
    int sampleRate;
    int channels;
    String track;
    long chunk;
    long timestamp;
    String payload;
    String digit;
    String markName;

    StreamEvent toEvent() {
      if (event == null) {
        throw new MalformedFrameException("'event' is missing");
      }
      return switch (event) {
        case "connected" -> new StreamEvent.Connected(protocol, version);
        case "start" ->
            new StreamEvent.Start(
                required(streamSid, "start.streamSid"),
                accountSid,
                required(callSid, "start.callSid"),
                parameters == null ? Map.of() : parameters,
                encoding,
                sampleRate,
                channels);
        case "media" -> new StreamEvent.Media(track, chunk, timestamp, decode(payload));
        case "dtmf" -> new StreamEvent.Dtmf(key(required(digit, "dtmf.digit")));
        case "mark" -> new StreamEvent.Mark(required(markName, "mark.name"));
        case "stop" -> new StreamEvent.Stop(callSid);
        default -> new StreamEvent.Unknown(event);
      };
    }

    private static byte[] decode(String payload) {
      try {
        return BASE64_IN.decode(required(payload, "media.payload"));
      } catch (IllegalArgumentException e) {
        throw new MalformedFrameException("'media.payload' is not base64");
      }
    }

    /** One key of a telephone keypad: 0-9, *, # or A-D. */
    private static String key(String digit) {
      if (digit.length() != 1 || KEYS.indexOf(digit.charAt(0)) < 0) {
        throw new MalformedFrameException("'dtmf.digit' must be one key: 0-9, *, # or A-D");
      }
      return digit;
    }

    private static final String KEYS = "0123456789*#ABCD";

    private static String required(String value, String name) {
      if (value == null) {
        throw new MalformedFrameException("'" + name + "' is missing");
      }
      return value;
    }
  }
}
