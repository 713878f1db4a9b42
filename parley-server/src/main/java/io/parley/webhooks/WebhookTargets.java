package io.parley.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may go. A URL must be {@code https://} with a host and no user info, and every
 * address its host resolves to must be public: no private (RFC 1918, unique local), loopback,
 * link-local (cloud metadata lives there: {@code 169.254.169.254}), carrier-grade NAT, unspecified,
 * multicast or reserved address. One bad address refuses the whole name, so a name cannot pass by
 * listing a public address beside a private one. {@code PARLEY_WEBHOOKS_ALLOW_LOOPBACK} (tests
 * only) lets loopback addresses and {@code http://} through, nothing else.
 *
 * <p>Checked when an endpoint is saved and again before every delivery, since a name may point
 * elsewhere by then.
 */
final class WebhookTargets {

  static final int MAX_URL_LENGTH = 2000;

  /** Resolves a host name; replaced in tests of the rules. */
  interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  private final boolean allowLoopback;
  private final Resolver resolver;

  WebhookTargets(boolean allowLoopback) {
    this(allowLoopback, host -> List.of(InetAddress.getAllByName(host)));
  }

  WebhookTargets(boolean allowLoopback, Resolver resolver) {
    this.allowLoopback = allowLoopback;
    this.resolver = resolver;
  }

  /**
   * The URL's syntax: empty when it may be used, else why not (for the {@code url} field's error).
   */
  Optional<String> urlProblem(String url) {
    if (url == null || url.isBlank()) {
      return Optional.of("is required");
    }
    if (url.length() > MAX_URL_LENGTH) {
      return Optional.of("must be at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowLoopback && scheme.equals("http"))) {
      return Optional.of("must be an https:// URL");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("must not carry a user name or password");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      return Optional.of("must name a host");
    }
    if (uri.getRawFragment() != null) {
      return Optional.of("must not have a fragment");
    }
    return Optional.empty();
  }

  /**
   * Resolves the URL's host and checks every address; empty when all may be reached, else why not.
   * Assumes {@link #urlProblem} passed.
   */
  Optional<String> addressProblem(String url) {
    String host = URI.create(url).getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return Optional.of("its host " + host + " does not resolve");
    }
    if (addresses.isEmpty()) {
      return Optional.of("its host " + host + " does not resolve");
    }
    for (InetAddress address : addresses) {
      Optional<String> refused = refused(address);
      if (refused.isPresent()) {
        return Optional.of(
            "its host resolves to "
                + address.getHostAddress()
                + ", "
                + refused.get()
                + ", which webhooks may not reach");
      }
    }
    return Optional.empty();
  }

  /** Why this address may not be reached, or empty. */
  Optional<String> refused(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      Optional<Inet4Address> embedded = embeddedIpv4(v6);
      if (embedded.isPresent()) {
        return refused(embedded.get());
      }
    }
    if (address.isLoopbackAddress()) {
      return allowLoopback ? Optional.empty() : Optional.of("a loopback address");
    }
    if (address.isAnyLocalAddress()) {
      return Optional.of("an unspecified address");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("a link-local address (cloud metadata lives there)");
    }
    if (address.isSiteLocalAddress()) {
      return Optional.of("a private address");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("a multicast address");
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) {
        return Optional.of("a reserved address (\"this network\")");
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return Optional.of("a carrier-grade NAT address");
      }
      if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
        return Optional.of("an IETF protocol address");
      }
      if (first == 198 && (second == 18 || second == 19)) {
        return Optional.of("a benchmarking address");
      }
      if (first >= 240) {
        return Optional.of("a reserved address");
      }
    } else {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return Optional.of("a private address (unique local)");
      }
      if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
        return Optional.of("a private address (site local)");
      }
    }
    return Optional.empty();
  }

  /**
   * The IPv4 address an IPv6 address carries, for forms that reach an IPv4 host: mapped ({@code
   * ::ffff:a.b.c.d}), compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::a.b.c.d}) and 6to4
   * ({@code 2002:aabb:ccdd::}).
   */
  private static Optional<Inet4Address> embeddedIpv4(Inet6Address address) {
    byte[] b = address.getAddress();
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) {
      zeroPrefix &= b[i] == 0;
    }
    boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean compatible =
        zeroPrefix
            && b[10] == 0
            && b[11] == 0
            && !address.isLoopbackAddress()
            && !address.isAnyLocalAddress();
    boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    if (mapped || compatible || nat64) {
      return Optional.of(v4(b[12], b[13], b[14], b[15]));
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return Optional.of(v4(b[2], b[3], b[4], b[5]));
    }
    return Optional.empty();
  }

  private static Inet4Address v4(byte a, byte b, byte c, byte d) {
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {a, b, c, d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("Four bytes are an IPv4 address", e);
    }
  }
}
