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
 */
@ConfigurationProperties("parley")
record TelephonySettings(URI publicUrl, Integer maxConcurrentCalls) {

  static final int DEFAULT_MAX_CONCURRENT_CALLS = 50;

  TelephonySettings {
    publicUrl = publicUrl == null ? null : normalise(publicUrl);
    maxConcurrentCalls =
        maxConcurrentCalls == null ? DEFAULT_MAX_CONCURRENT_CALLS : maxConcurrentCalls;
    if (maxConcurrentCalls < 1) {
      throw new IllegalArgumentException(
          "PARLEY_MAX_CONCURRENT_CALLS must be 1 or more, was " + maxConcurrentCalls);
    }
  }

  private static URI normalise(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "PARLEY_PUBLIC_URL must be an http(s) URL with a host, was " + url);
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null || url.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "PARLEY_PUBLIC_URL must not carry credentials, a query or a fragment, was " + url);
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    try {
      return new URI(scheme + "://" + url.getRawAuthority() + path);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("PARLEY_PUBLIC_URL is not a URL: " + url, e);
    }
  }
}
