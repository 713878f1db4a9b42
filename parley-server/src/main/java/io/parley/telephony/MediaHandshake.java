package io.parley.telephony;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The media socket's address answers anything that is not a WebSocket upgrade with a problem detail
 * like the rest of the API: a wrong method is a 405 with {@code Allow: GET} (Spring would send an
 * empty body), a request without the upgrade headers a 400, an unsupported WebSocket version a 426
 * (Spring would send plain text or nothing).
 */
final class MediaHandshake extends DefaultHandshakeHandler implements HandshakeInterceptor {

  private final JsonMapper json;

  MediaHandshake(JsonMapper json) {
    this.json = json;
  }

  @Override
  public boolean beforeHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Map<String, Object> attributes)
      throws IOException {
    if (HttpMethod.GET.equals(request.getMethod())) {
      return true;
    }
    response.getHeaders().setAllow(Set.of(HttpMethod.GET));
    problem(
        response,
        HttpStatus.METHOD_NOT_ALLOWED,
        "This address takes a WebSocket upgrade (GET) from Twilio Media Streams.");
    return false;
  }

  @Override
  public void afterHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Exception exception) {}

  @Override
  protected void handleInvalidUpgradeHeader(ServerHttpRequest request, ServerHttpResponse response)
      throws IOException {
    problem(
        response,
        HttpStatus.BAD_REQUEST,
        "This address takes a WebSocket upgrade (Upgrade: websocket) from Twilio Media Streams.");
  }

  @Override
  protected void handleInvalidConnectHeader(ServerHttpRequest request, ServerHttpResponse response)
      throws IOException {
    problem(
        response,
        HttpStatus.BAD_REQUEST,
        "This address takes a WebSocket upgrade (Connection: Upgrade) from Twilio Media Streams.");
  }

  @Override
  protected void handleWebSocketVersionNotSupported(
      ServerHttpRequest request, ServerHttpResponse response) {
    super.handleWebSocketVersionNotSupported(request, response);
    try {
      problem(response, HttpStatus.UPGRADE_REQUIRED, "Only WebSocket version 13 is supported.");
    } catch (IOException e) {
      // the client is gone
    }
  }

  private void problem(ServerHttpResponse response, HttpStatus status, String detail)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", status.getReasonPhrase());
    body.put("status", status.value());
    body.put("detail", detail);
    body.put("instance", PublicUrls.MEDIA);
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    response.getBody().write(json.writeValueAsBytes(body));
  }
}
