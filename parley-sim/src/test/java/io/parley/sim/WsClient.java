package io.parley.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** A JDK WebSocket client for tests that keeps every text message, binary frame and the close. */
public final class WsClient implements WebSocket.Listener {
  public final List<JsonNode> messages = new CopyOnWriteArrayList<>();
  public final List<byte[]> binaries = new CopyOnWriteArrayList<>();
  public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  public volatile String closeReason;
  private volatile Duration busy = Duration.ZERO;
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;
  private HttpClient http;

  public static WsClient connect(URI uri, Map<String, String> headers, String... subprotocols)
      throws Exception {
    WsClient client = new WsClient();
    client.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    WebSocket.Builder b = client.http.newWebSocketBuilder();
    headers.forEach(b::header);
    if (subprotocols.length > 0) {
      b.subprotocols(
          subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    client.socket = b.buildAsync(uri, client).get(5, TimeUnit.SECONDS);
    return client;
  }

  public void text(String text) throws Exception {
    socket.sendText(text, true).get(5, TimeUnit.SECONDS);
  }

  public void binary(byte[] bytes) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
  }

  /** Closes from the client side with 1000. */
  public void close() throws Exception {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
  }

  /** Makes the listener take this long over every text message, like a client busy with it. */
  public void busyFor(Duration duration) {
    busy = duration;
  }

  public List<JsonNode> ofType(String type) {
    return messages.stream().filter(m -> m.path("type").asString("").equals(type)).toList();
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (busy.isPositive()) {
      try {
        Thread.sleep(busy);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (last) {
      messages.add(Json.parse(partial.toString()));
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    binaries.add(b);
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeReason = reason;
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closeCode.complete(-1);
  }
}
