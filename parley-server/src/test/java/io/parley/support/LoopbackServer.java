package io.parley.support;

import java.io.IOException;
import java.net.ServerSocket;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Parley on a port chosen before the context starts ({@code DEFINED_PORT}), for tests whose
 * simulators must know its address up front, with its public URL on that port.
 */
public final class LoopbackServer {

  private LoopbackServer() {}

  /** A port nothing listens on right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public static String url(int port) {
    return "http://127.0.0.1:" + port;
  }

  /** Parley listens on {@code port} and takes {@link #url(int)} as its public URL. */
  public static void listenOn(DynamicPropertyRegistry registry, int port) {
    registry.add("server.port", () -> port);
    registry.add("parley.public-url", () -> url(port));
  }
}
