package io.parley.shared;

import java.net.URI;
import java.util.Locale;

/**
 * Providers and Parley itself are configured with http(s) base URLs; their WebSockets live at the
 * same address under ws(s). One mapping, so every adapter agrees on it.
 */
public final class WebSocketScheme {

  private WebSocketScheme() {}

  /** {@code ws} for an http (or ws) URL, {@code wss} for https (or wss); anything else fails. */
  public static String of(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "http", "ws" -> "ws";
      case "https", "wss" -> "wss";
      default -> throw new IllegalArgumentException("Not an http(s) URL: " + url);
    };
  }
}
