package io.parley.llm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads a streamed chat completion (server-sent events of {@code chat.completion.chunk} JSON) and
 * hands the few fields a call uses to a {@link Sink}, with a streaming parse: no tree, no object
 * per field. The SDK still builds and sends the request and turns HTTP errors into exceptions; only
 * the chunks are read here, because its per-chunk data binding (Kotlin reflection, a wrapper per
 * field) cost a call's model thread about as much CPU as the call's whole media path (flight
 * recording of a 100-call bench step, issue 13).
 *
 * <p>Follows the SSE rules the providers use: {@code data:} lines (several join with a newline)
 * make an event at the blank line, {@code :} lines are comments, {@code [DONE]} ends the stream. An
 * event whose JSON has a top-level {@code error}, or whose type is {@code error}, is the provider
 * failing mid-stream ({@link StreamError}).
 */
final class ChunkReader {

  /** What a chunk says, in the order it is read; only choice 0 is passed on. */
  interface Sink {
    void usage(long promptTokens, long completionTokens);

    void text(String text);

    /** One piece of a tool call: any of id, name, arguments may be null in a fragment. */
    void toolCall(int index, String id, String name, String arguments);

    void finish(String reason);
  }

  /** The provider reported an error inside the stream. */
  static final class StreamError extends RuntimeException {
    private final String body;

    StreamError(String body) {
      super("error event in the stream");
      this.body = body;
    }

    String body() {
      return body;
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  private ChunkReader() {}

  /**
   * Reads events until {@code [DONE]} or the end of the body; I/O failures come out as {@link
   * UncheckedIOException} with the cause kept (a read timeout stays a {@code
   * SocketTimeoutException} underneath).
   */
  static void read(InputStream body, Sink sink) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 8192)) {
      StringBuilder data = new StringBuilder();
      String event = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (!data.isEmpty() && !dispatch(event, data.toString(), sink)) {
            return;
          }
          data.setLength(0);
          event = null;
        } else if (line.startsWith("data:")) {
          if (!data.isEmpty()) {
            data.append('\n');
          }
          data.append(line, valueStart(line, 5), line.length());
        } else if (line.startsWith("event:")) {
          event = line.substring(valueStart(line, 6));
        }
        // ':' comments, id: and retry: lines mean nothing here
      }
      if (!data.isEmpty()) {
        dispatch(event, data.toString(), sink);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int valueStart(String line, int afterColon) {
    return line.length() > afterColon && line.charAt(afterColon) == ' '
        ? afterColon + 1
        : afterColon;
  }

  /** Handles one event; false at {@code [DONE]}. */
  private static boolean dispatch(String event, String data, Sink sink) {
    if (data.equals("[DONE]")) {
      return false;
    }
    if ("error".equals(event)) {
      throw new StreamError(data);
    }
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new StreamError(data);
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "choices" -> choices(p, sink);
          case "usage" -> usage(p, sink);
          case "error" -> {
            if (p.currentToken() != JsonToken.VALUE_NULL) {
              throw new StreamError(data);
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (JacksonException e) {
      throw new StreamError(data);
    }
    return true;
  }

  private static void usage(JsonParser p, Sink sink) {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    long prompt = 0;
    long completion = 0;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "prompt_tokens" -> prompt = p.getValueAsLong();
        case "completion_tokens" -> completion = p.getValueAsLong();
        default -> p.skipChildren();
      }
    }
    sink.usage(prompt, completion);
  }

  private static void choices(JsonParser p, Sink sink) {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      choice(p, sink);
    }
  }

  /** One choice; its fields may come in any order, so they are passed on at its end. */
  private static void choice(JsonParser p, Sink sink) {
    int index = 0;
    String text = null;
    String finish = null;
    ToolPieces tools = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "index" -> index = p.getValueAsInt();
        case "finish_reason" -> finish = value == JsonToken.VALUE_STRING ? p.getString() : null;
        case "delta" -> {
          if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            continue;
          }
          while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("content") && v == JsonToken.VALUE_STRING) {
              text = p.getString();
            } else if (field.equals("tool_calls") && v == JsonToken.START_ARRAY) {
              tools = ToolPieces.read(p);
            } else {
              p.skipChildren();
            }
          }
        }
        default -> p.skipChildren();
      }
    }
    if (index != 0) {
      return;
    }
    if (text != null && !text.isEmpty()) {
      sink.text(text);
    }
    if (tools != null) {
      tools.passTo(sink);
    }
    if (finish != null) {
      sink.finish(finish);
    }
  }

  /** The tool-call fragments of one delta, in order. */
  private record ToolPieces(List<Piece> pieces) {
    private record Piece(int index, String id, String name, String arguments) {}

    static ToolPieces read(JsonParser p) {
      List<Piece> pieces = new ArrayList<>(1);
      while (p.nextToken() == JsonToken.START_OBJECT) {
        int index = 0;
        String id = null;
        String name = null;
        String arguments = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          switch (field) {
            case "index" -> index = p.getValueAsInt();
            case "id" -> id = v == JsonToken.VALUE_STRING ? p.getString() : null;
            case "function" -> {
              if (v != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
              }
              while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String f = p.currentName();
                JsonToken fv = p.nextToken();
                if (f.equals("name") && fv == JsonToken.VALUE_STRING) {
                  name = p.getString();
                } else if (f.equals("arguments") && fv == JsonToken.VALUE_STRING) {
                  arguments = p.getString();
                } else {
                  p.skipChildren();
                }
              }
            }
            default -> p.skipChildren();
          }
        }
        pieces.add(new Piece(index, id, name, arguments));
      }
      return new ToolPieces(pieces);
    }

    void passTo(Sink sink) {
      for (Piece piece : pieces) {
        sink.toolCall(piece.index(), piece.id(), piece.name(), piece.arguments());
      }
    }
  }
}
