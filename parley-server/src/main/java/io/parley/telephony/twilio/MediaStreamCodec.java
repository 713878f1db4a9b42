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

  /** A frame of μ-law audio for Twilio to play after what it already holds. */
  public String media(String streamSid, byte[] mulaw, int offset, int length) {
    StringBuilder out = new StringBuilder(64 + length * 4 / 3 + 4);
    out.append("{\"event\":\"media\",\"streamSid\":");
    appendString(out, streamSid);
    out.append(",\"media\":{\"payload\":\"");
    byte[] slice = offset == 0 && length == mulaw.length ? mulaw : copy(mulaw, offset, length);
    out.append(BASE64_OUT.encodeToString(slice));
    return out.append("\"}}").toString();
  }

  /** Asks Twilio to echo {@code name} once everything sent before it has played. */
  public String mark(String streamSid, String name) {
    StringBuilder out = new StringBuilder(80);
    out.append("{\"event\":\"mark\",\"streamSid\":");
    appendString(out, streamSid);
    out.append(",\"mark\":{\"name\":");
    appendString(out, name);
    return out.append("}}").toString();
  }

  /** Tells Twilio to drop the audio it has not played yet (barge-in). */
  public String clear(String streamSid) {
    StringBuilder out = new StringBuilder(64);
    out.append("{\"event\":\"clear\",\"streamSid\":");
    appendString(out, streamSid);
    return out.append('}').toString();
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
      switch (section + "." + name) {
        case "start.streamSid" -> f.streamSid = text(parser, token, name);
        case "start.accountSid" -> f.accountSid = text(parser, token, name);
        case "start.callSid", "stop.callSid" -> f.callSid = text(parser, token, name);
        case "start.customParameters" -> readParameters(parser, token, f);
        case "start.mediaFormat" -> readMediaFormat(parser, token, f);
        case "media.track" -> f.track = text(parser, token, name);
        case "media.chunk" -> f.chunk = number(parser, token, name);
        case "media.timestamp" -> f.timestamp = number(parser, token, name);
        case "media.payload" -> f.payload = text(parser, token, name);
        case "dtmf.digit" -> f.digit = text(parser, token, name);
        case "mark.name" -> f.markName = text(parser, token, name);
        default -> parser.skipChildren();
      }
    }
  }

  private static void readParameters(JsonParser parser, JsonToken value, Fields f) {
    if (value != JsonToken.START_OBJECT) {
      throw new MalformedFrameException("'customParameters' must be an object");
    }
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
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
  private static void appendString(StringBuilder out, String value) {
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
    final Map<String, String> parameters = new HashMap<>();
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
                parameters,
                encoding,
                sampleRate,
                channels);
        case "media" -> new StreamEvent.Media(track, chunk, timestamp, decode(payload));
        case "dtmf" -> new StreamEvent.Dtmf(required(digit, "dtmf.digit"));
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

    private static String required(String value, String name) {
      if (value == null) {
        throw new MalformedFrameException("'" + name + "' is missing");
      }
      return value;
    }
  }
}
