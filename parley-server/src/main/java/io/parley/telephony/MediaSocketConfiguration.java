package io.parley.telephony;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import tools.jackson.databind.json.JsonMapper;

/** Registers the Media Streams socket. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class MediaSocketConfiguration implements WebSocketConfigurer {

  private final MediaStreamSocket socket;
  private final JsonMapper json;

  MediaSocketConfiguration(MediaStreamSocket socket, JsonMapper json) {
    this.socket = socket;
    this.json = json;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    MediaHandshake handshake = new MediaHandshake(json);
    // Twilio sends no Origin; the single-use token is what admits a socket.
    registry
        .addHandler(socket, PublicUrls.MEDIA)
        .setHandshakeHandler(handshake)
        .addInterceptors(handshake)
        .setAllowedOrigins("*");
  }
}
