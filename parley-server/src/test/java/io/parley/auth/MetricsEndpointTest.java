package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.support.RawHttp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The actuator on a port of its own (PARLEY_MANAGEMENT_PORT) with a scrape token
 * (PARLEY_METRICS_TOKEN): the token guards the metrics there too, and the main port serves none.
 */
@Tag("db")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"PARLEY_MANAGEMENT_PORT=0", "PARLEY_METRICS_TOKEN=scrape-4e1d77a0c8f2"})
@ActiveProfiles("test")
class MetricsEndpointTest {

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  private RawHttp.Response get(int port, String path, String... headers) throws Exception {
    return RawHttp.send(port, RawHttp.request("GET", path, null, headers));
  }

  @Test
  void theMetricsNeedTheScrapeTokenOnTheManagementPort() throws Exception {
    assertThat(managementPort).isNotEqualTo(port);

    RawHttp.Response anonymous = get(managementPort, "/actuator/prometheus");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
    assertThat(anonymous.body()).contains("PARLEY_METRICS_TOKEN");
    assertThat(get(managementPort, "/actuator/prometheus", "Authorization: Bearer wrong").status())
        .isEqualTo(401);

    RawHttp.Response scraped =
        get(managementPort, "/actuator/prometheus", "Authorization: Bearer scrape-4e1d77a0c8f2");
    assertThat(scraped.status()).isEqualTo(200);
    assertThat(scraped.body()).contains("jvm_memory_used_bytes");

    assertThat(get(managementPort, "/actuator/health").status()).isEqualTo(200);
  }

  @Test
  void theMainPortServesNoActuator() throws Exception {
    RawHttp.Response metrics =
        get(port, "/actuator/prometheus", "Authorization: Bearer scrape-4e1d77a0c8f2");
    assertThat(metrics.status()).isEqualTo(404);
    assertThat(get(port, "/actuator/health").status()).isEqualTo(404);
  }
}
