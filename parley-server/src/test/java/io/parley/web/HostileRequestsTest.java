package io.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.support.RawHttp;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Requests only an attacker sends, over a real socket to the real server: what the servlet
 * container itself refuses must still be a problem detail, and a client's mistake never writes a
 * stack trace to the log.
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsTest {

  @LocalServerPort int port;

  @Test
  void aBrokenMultipartBodyIs400AndLogsNoStackTrace(CapturedOutput output) throws Exception {
    int before = output.getOut().length();
    for (String type :
        List.of(
            "multipart/form-data",
            "multipart/mixed",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=xyz")) {
      for (String path : List.of("/api/auth/login", "/api/users", "/twilio/voice", "/nowhere")) {
        RawHttp.Response response =
            RawHttp.send(port, RawHttp.request("POST", path, "x", "Content-Type: " + type));
        assertThat(response.status()).as(type + " " + path).isIn(400, 401, 403, 404, 415);
        assertProblem(response);
      }
    }
    String log = output.getOut().substring(before);
    assertThat(log).doesNotContain("\tat ").doesNotContain("Exception");
  }

  static void assertProblem(RawHttp.Response response) {
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.body()).contains("\"status\":" + response.status());
  }
}
