package io.parley.telephony;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Telephony settings.
 *
 * @param publicUrl {@code PARLEY_PUBLIC_URL}: the address Twilio reaches Parley at (scheme, host,
 *     optional port and path prefix, e.g. {@code https://parley.example.com}); webhook URLs, the
 *     media stream URL and signature checks use it. Unset: each request's own URL (honouring {@code
 *     X-Forwarded-*} only with {@code PARLEY_TRUST_PROXY=true}).
 * @param maxConcurrentCalls {@code PARLEY_MAX_CONCURRENT_CALLS}: calls this node carries at once,
 *     inbound and outbound together; default 50
 * @param publicMediaUrl {@code PARLEY_PUBLIC_MEDIA_URL}: where Twilio reaches the media port
 *     ({@code ws} or {@code wss}, host, optional port and path prefix; {@code /twilio/media} is
 *     appended). Unset: the public URL's host (or the request's) with {@code PARLEY_MEDIA_PORT},
 *     {@code wss} when that URL is https. Behind a reverse proxy that routes one host by path, set
 *     it to that host (e.g. {@code wss://parley.example.com}).
 */
@ConfigurationProperties("parley")
record TelephonySettings(URI publicUrl, Integer maxConcurrentCalls, URI publicMediaUrl) {

  static final int DEFAULT_MAX_CONCURRENT_CALLS = 50;

  TelephonySettings {
    publicUrl = publicUrl == null ? null : normalise(publicUrl, "PARLEY_PUBLIC_URL", "http");
    publicMediaUrl =
        publicMediaUrl == null ? null : normalise(publicMediaUrl, "PARLEY_PUBLIC_MEDIA_URL", "ws");
    maxConcurrentCalls =
        maxConcurrentCalls == null ? DEFAULT_MAX_CONCURRENT_CALLS : maxConcurrentCalls;
    if (maxConcurrentCalls < 1) {
      throw new IllegalArgumentException(
          "PARLEY_MAX_CONCURRENT_CALLS must be 1 or more, was " + maxConcurrentCalls);
    }
  }

  /** Lower-case scheme ({@code plain} or its secure form), a host, no query, no trailing slash. */
  private static URI normalise(URI url, String name, String plain) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals(plain) || scheme.equals(plain + "s")) || url.getHost() == null) {
      throw new IllegalArgumentException(
          name + " must be a " + plain + "(s) URL with a host, was " + url);
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null || url.getUserInfo() != null) {
      throw new IllegalArgumentException(
          name + " must not carry credentials, a query or a fragment, was " + url);
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    try {
      return new URI(scheme + "://" + url.getRawAuthority() + path);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + " is not a URL: " + url, e);
    }
  }
}
