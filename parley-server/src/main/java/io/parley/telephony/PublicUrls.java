package io.parley.telephony;

import io.parley.shared.WebSocketScheme;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The URLs Twilio uses to reach Parley. The base is {@code PARLEY_PUBLIC_URL} when set; otherwise
 * the URL of the request being served (its scheme, host and port as the servlet container sees
 * them, which {@code ForwardedHeaderFilter} rewrites from {@code X-Forwarded-*} only when {@code
 * PARLEY_TRUST_PROXY=true}). Paths are appended to the base, so a public URL with a path prefix
 * works behind a proxy that strips it. The media socket has a port of its own ({@code
 * PARLEY_MEDIA_PORT}); {@code PARLEY_PUBLIC_MEDIA_URL} says where Twilio reaches it when a proxy
 * stands in front.
 */
@Component
public class PublicUrls {

  /** Where Twilio asks what to do with an inbound call. */
  public static final String VOICE = "/twilio/voice";

  /** Where Twilio asks when the voice URL failed. */
  public static final String FALLBACK = "/twilio/fallback";

  /** Call status callbacks. */
  public static final String STATUS = "/twilio/status";

  /** Recording status callbacks. */
  public static final String RECORDING = "/twilio/recording";

  /** Asynchronous answering-machine detection results. */
  public static final String AMD = "/twilio/amd";

  /** The {@code action} of a call's {@code <Connect>}: its media stream has ended. */
  public static final String STREAM_ENDED = "/twilio/stream-ended";

  /** Where Twilio posts a text message to one of the agents' numbers. */
  public static final String SMS = "/twilio/sms";

  /** Status callbacks of the text messages Parley sends. */
  public static final String SMS_STATUS = "/twilio/sms-status";

  /** The Media Streams WebSocket. */
  public static final String MEDIA = "/twilio/media";

  private final URI configured;
  private final URI configuredMedia;
  private final IntSupplier mediaPort;

  // The media server is looked up when a URL is made: it needs the calls, which need these URLs.
  @Autowired
  PublicUrls(TelephonySettings settings, ObjectProvider<MediaServer> mediaServer) {
    this(settings, () -> mediaServer.getObject().port());
  }

  PublicUrls(TelephonySettings settings, IntSupplier mediaPort) {
    this.configured = settings.publicUrl();
    this.configuredMedia = settings.publicMediaUrl();
    this.mediaPort = mediaPort;
  }

  /** True when {@code PARLEY_PUBLIC_URL} is set, so URLs do not depend on a request. */
  public boolean isConfigured() {
    return configured != null;
  }

  /** The base URL for this request: the configured one, or the request's own. */
  public URI base(HttpServletRequest request) {
    if (configured != null) {
      return configured;
    }
    String scheme = request.getScheme();
    int port = request.getServerPort();
    boolean defaultPort =
        port < 0
            || ("http".equalsIgnoreCase(scheme) && port == 80)
            || ("https".equalsIgnoreCase(scheme) && port == 443);
    String host = request.getServerName();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create(
        scheme + "://" + host + (defaultPort ? "" : ":" + port) + request.getContextPath());
  }

  /**
   * The base URL without a request at hand: the configured one, else the request this thread is
   * serving, if any.
   */
  public Optional<URI> base() {
    if (configured != null) {
      return Optional.of(configured);
    }
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current) {
      return Optional.of(base(current.getRequest()));
    }
    return Optional.empty();
  }

  /** A webhook URL: the base plus one of the paths above. */
  public URI webhook(URI base, String path) {
    return URI.create(base + path);
  }

  /**
   * The Media Streams URL: {@code PARLEY_PUBLIC_MEDIA_URL} plus {@link #MEDIA} when set; otherwise
   * the base's host on the media port, {@code ws} for an http base and {@code wss} for https.
   */
  public URI mediaStream(URI base) {
    if (configuredMedia != null) {
      return URI.create(configuredMedia + MEDIA);
    }
    return URI.create(
        WebSocketScheme.of(base) + "://" + base.getHost() + ":" + mediaPort.getAsInt() + MEDIA);
  }

  /**
   * The URL Twilio requested, as it signed it: the base, the path within the application and the
   * query string.
   */
  public String requestedUrl(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    String query = request.getQueryString();
    return base(request) + path + (query == null ? "" : "?" + query);
  }
}
