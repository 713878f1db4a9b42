package io.parley.sim.http;

import io.parley.sim.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * One HTTP request and its response, with blocking helpers. Handlers run on their own thread, so
 * blocking writes keep streaming code (SSE, chunked audio) as plain loops.
 */
public final class Exchange {
  private static final int AUDIO_CHUNK_BYTES = 1600;

  private final Request request;
  private final Response response;
  private final Callback callback;
  private String body;
  private boolean committed;
  private boolean finished;

  Exchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  public String method() {
    return request.getMethod();
  }

  public String path() {
    return request.getHttpURI().getPath();
  }

  public Params query() {
    return Params.parse(request.getHttpURI().getQuery());
  }

  public String header(String name) {
    return request.getHeaders().get(name);
  }

  public String body() {
    if (body == null) {
      try {
        body = Content.Source.asString(request, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return body;
  }

  public Params form() {
    return Params.parse(body());
  }

  public void header(String name, String value) {
    response.getHeaders().put(name, value);
  }

  public void send(int status, String contentType, byte[] bytes) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    committed = true;
    write(ByteBuffer.wrap(bytes), true);
  }

  public void send(int status, String contentType, String text) {
    send(status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendJson(int status, Object json) {
    send(status, "application/json", Json.write(json));
  }

  /** Starts a streamed (chunked) response; follow with {@link #write} and {@link #end}. */
  public void startStream(int status, String contentType) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    committed = true;
  }

  /**
   * Streams audio with status 200 in chunks of 1600 bytes (200 ms of 8 kHz μ-law), as the speech
   * endpoints do. With {@code dropAfter} (null: never) the connection is cut after that many
   * chunks, so the client sees a truncated body.
   */
  public void streamAudio(String contentType, byte[] audio, Integer dropAfter) {
    startStream(200, contentType);
    int chunks = 0;
    for (int at = 0; at < audio.length; at += AUDIO_CHUNK_BYTES) {
      if (dropAfter != null && chunks >= dropAfter) {
        abort();
        return;
      }
      write(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + AUDIO_CHUNK_BYTES)));
      chunks++;
    }
    end();
  }

  public void write(String text) {
    write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false);
  }

  public void write(byte[] bytes) {
    write(ByteBuffer.wrap(bytes), false);
  }

  public void end() {
    write(ByteBuffer.allocate(0), true);
  }

  /** Drops the connection without finishing the response: the client sees a truncated stream. */
  public void abort() {
    if (!finished) {
      finished = true;
      request.getConnectionMetaData().getConnection().getEndPoint().close();
      callback.failed(new IOException("connection dropped by a simulated fault"));
    }
  }

  boolean committed() {
    return committed;
  }

  boolean finished() {
    return finished;
  }

  private void write(ByteBuffer buffer, boolean last) {
    if (finished) {
      throw new IllegalStateException("response already finished");
    }
    try (Blocker.Callback blocker = Blocker.callback()) {
      response.write(last, buffer, blocker);
      blocker.block();
    } catch (IOException e) {
      finished = true;
      callback.failed(e);
      throw new UncheckedIOException(e);
    }
    if (last) {
      finished = true;
      callback.succeeded();
    }
  }
}
