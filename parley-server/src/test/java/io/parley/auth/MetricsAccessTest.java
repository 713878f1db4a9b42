package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

class MetricsAccessTest {

  private static boolean granted(MetricsAccess access, String authorization) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/prometheus");
    if (authorization != null) {
      request.addHeader("Authorization", authorization);
    }
    return access.authorize(() -> null, new RequestAuthorizationContext(request)).isGranted();
  }

  @Test
  void withAScrapeTokenOnlyItsBearerMayScrape() {
    for (boolean prod : new boolean[] {false, true}) {
      for (boolean separatePort : new boolean[] {false, true}) {
        MetricsAccess access = new MetricsAccess("scrape-0c8f2a77", prod, separatePort);
        assertThat(granted(access, "Bearer scrape-0c8f2a77")).isTrue();
        assertThat(granted(access, "bearer scrape-0c8f2a77 ")).isTrue();
        assertThat(granted(access, null)).isFalse();
        assertThat(granted(access, "Bearer scrape-0c8f2a7")).isFalse();
        assertThat(granted(access, "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")).isFalse();
        assertThat(granted(access, "Basic c2NyYXBlLTBjOGYyYTc3")).isFalse();
      }
    }
  }

  @Test
  void withoutOneTheMetricsAreOpenExceptOnTheMainPortUnderProd() {
    assertThat(granted(new MetricsAccess(null, false, false), null)).isTrue();
    assertThat(granted(new MetricsAccess(" ", false, true), null)).isTrue();
    assertThat(granted(new MetricsAccess(null, true, true), null))
        .as("prod, on the management port")
        .isTrue();
    assertThat(granted(new MetricsAccess(null, true, false), null))
        .as("prod, on the main port")
        .isFalse();
    assertThat(granted(new MetricsAccess("", true, false), "Bearer ")).isFalse();
  }
}
