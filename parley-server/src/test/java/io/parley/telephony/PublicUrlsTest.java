package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.ForwardedHeaderFilter;

class PublicUrlsTest {

  private static MockHttpServletRequest request(String scheme, String host, int port) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/twilio/status");
    request.setScheme(scheme);
    request.setServerName(host);
    request.setServerPort(port);
    request.setQueryString("attempt=2");
    return request;
  }

  @Test
  void theConfiguredUrlWinsOverTheRequest() {
    PublicUrls urls =
        new PublicUrls(
            new TelephonySettings(URI.create("https://parley.example.com/voice/"), null, null),
            () -> 8081);
    URI base = urls.base(request("http", "10.0.0.5", 8080));

    assertThat(base).isEqualTo(URI.create("https://parley.example.com/voice"));
    assertThat(urls.webhook(base, PublicUrls.STATUS))
        .isEqualTo(URI.create("https://parley.example.com/voice/twilio/status"));
    // the media socket has its own port: the public host on it, unless PARLEY_PUBLIC_MEDIA_URL
    assertThat(urls.mediaStream(base))
        .isEqualTo(URI.create("wss://parley.example.com:8081/twilio/media"));
    assertThat(urls.requestedUrl(request("http", "10.0.0.5", 8080)))
        .isEqualTo("https://parley.example.com/voice/twilio/status?attempt=2");
    assertThat(urls.base()).contains(URI.create("https://parley.example.com/voice"));
  }

  @Test
  void withoutOneTheRequestsOwnUrlIsUsed() {
    PublicUrls urls = new PublicUrls(new TelephonySettings(null, null, null), () -> 8081);

    URI plain = urls.base(request("http", "127.0.0.1", 8080));
    assertThat(plain).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(urls.mediaStream(plain)).isEqualTo(URI.create("ws://127.0.0.1:8081/twilio/media"));
    assertThat(urls.requestedUrl(request("http", "127.0.0.1", 8080)))
        .isEqualTo("http://127.0.0.1:8080/twilio/status?attempt=2");

    URI secure = urls.base(request("https", "parley.example.com", 443));
    assertThat(secure).isEqualTo(URI.create("https://parley.example.com"));
    assertThat(urls.mediaStream(secure))
        .isEqualTo(URI.create("wss://parley.example.com:8081/twilio/media"));
    // outside a request there is nothing to take the URL from
    assertThat(urls.base()).isEmpty();
  }

  @Test
  void forwardedHeadersCountOnlyWhenTheProxyFilterRewroteTheRequest() throws Exception {
    PublicUrls urls = new PublicUrls(new TelephonySettings(null, null, null), () -> 8081);
    MockHttpServletRequest request = request("http", "10.0.0.5", 8080);
    request.addHeader("X-Forwarded-Proto", "https");
    request.addHeader("X-Forwarded-Host", "parley.example.com");
    request.addHeader("X-Forwarded-Port", "443");

    // PARLEY_TRUST_PROXY=false: no ForwardedHeaderFilter, the headers are ignored
    assertThat(urls.base(request)).isEqualTo(URI.create("http://10.0.0.5:8080"));

    // PARLEY_TRUST_PROXY=true: the auth module's ForwardedHeaderFilter wraps the request
    AtomicReference<URI> seen = new AtomicReference<>();
    new ForwardedHeaderFilter()
        .doFilter(
            request,
            new MockHttpServletResponse(),
            (req, res) -> seen.set(urls.mediaStream(urls.base((HttpServletRequest) req))));
    assertThat(seen.get()).isEqualTo(URI.create("wss://parley.example.com:8081/twilio/media"));
  }

  @Test
  void aPublicMediaUrlNamesTheProxysRouteToTheMediaPort() {
    PublicUrls urls =
        new PublicUrls(
            new TelephonySettings(
                URI.create("https://parley.example.com"),
                null,
                URI.create("WSS://parley.example.com/edge/")),
            () -> 8081);

    assertThat(urls.mediaStream(urls.base().orElseThrow()))
        .isEqualTo(URI.create("wss://parley.example.com/edge/twilio/media"));
    assertThatThrownBy(
            () -> new TelephonySettings(null, null, URI.create("https://parley.example.com")))
        .hasMessageContaining("PARLEY_PUBLIC_MEDIA_URL must be a ws(s) URL");
    assertThatThrownBy(
            () -> new TelephonySettings(null, null, URI.create("wss://parley.example.com/?a=b")))
        .hasMessageContaining("PARLEY_PUBLIC_MEDIA_URL must not carry");
  }

  @Test
  void parleyPublicUrlBindsFromTheEnvironment() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                "test-env", Map.of("PARLEY_PUBLIC_URL", "https://parley.example.com/")));
    TelephonySettings settings =
        new Binder(ConfigurationPropertySources.get(env))
            .bind("parley", TelephonySettings.class)
            .get();
    assertThat(settings.publicUrl()).isEqualTo(URI.create("https://parley.example.com"));
  }

  @Test
  void aPublicUrlMustBeAPlainHttpUrl() {
    assertThatThrownBy(() -> new TelephonySettings(URI.create("ftp://example.com"), null, null))
        .hasMessageContaining("PARLEY_PUBLIC_URL");
    assertThatThrownBy(
            () -> new TelephonySettings(URI.create("https://example.com/?a=b"), null, null))
        .hasMessageContaining("query");
    assertThatThrownBy(
            () -> new TelephonySettings(URI.create("https://u:p@example.com"), null, null))
        .hasMessageContaining("credentials");
  }
}
