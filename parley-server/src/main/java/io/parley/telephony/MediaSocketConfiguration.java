package io.parley.telephony;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Registers the Media Streams socket. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class MediaSocketConfiguration implements WebSocketConfigurer {

  private final MediaStreamSocket socket;

  MediaSocketConfiguration(MediaStreamSocket socket) {
    this.socket = socket;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    // Twilio sends no Origin; the single-use token is what admits a socket.
    registry.addHandler(socket, PublicUrls.MEDIA).setAllowedOrigins("*");
  }
}
