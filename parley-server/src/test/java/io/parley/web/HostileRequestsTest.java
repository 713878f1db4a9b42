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

  @org.springframework.beans.factory.annotation.Autowired
  io.parley.telephony.MediaServer mediaServer;

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

  @Test
  void whatTheContainerRefusesIsAProblemDetailToo(CapturedOutput output) throws Exception {
    int before = output.getOut().length();
    for (String target : List.of("/api/%2Fusers", "/a%00b", "/api/agents/%2e%2e/x", "/a%2fb")) {
      RawHttp.Response response = RawHttp.send(port, RawHttp.request("GET", target, null));
      assertThat(response.status()).as(target).isEqualTo(400);
      assertProblem(response);
      assertThat(response.body()).doesNotContain("<html").doesNotContain("Tomcat");
    }
    RawHttp.Response bigHeader =
        RawHttp.send(
            port, RawHttp.request("GET", "/api/agents", null, "X-Big: " + "a".repeat(9000)));
    assertThat(bigHeader.status()).isIn(400, 431);
    assertProblem(bigHeader);
    assertThat(output.getOut().substring(before)).doesNotContain("\tat ");
  }

  @Test
  void parametersTheContainerCannotDecodeAre400(CapturedOutput output) throws Exception {
    int before = output.getOut().length();
    for (String query : List.of("?a=%ZZ", "?a=%", "?%=1", "?a=%C0%AF%")) {
      RawHttp.Response response =
          RawHttp.send(
              port,
              RawHttp.request(
                  "POST", "/api/auth/login" + query, "{}", "Content-Type: application/json"));
      assertThat(response.status()).as(query).isEqualTo(400);
      assertProblem(response);
    }
    assertThat(output.getOut().substring(before)).doesNotContain("\tat ");
  }

  @Test
  void theMediaPortAnswersPlainHttpWithProblemDetails() throws Exception {
    int media = mediaServer.port();
    RawHttp.Response post = RawHttp.send(media, RawHttp.request("POST", "/twilio/media", "x"));
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).contains("GET");
    assertProblem(post);

    RawHttp.Response get = RawHttp.send(media, RawHttp.request("GET", "/twilio/media", null));
    assertThat(get.status()).isEqualTo(400);
    assertProblem(get);

    RawHttp.Response elsewhere = RawHttp.send(media, RawHttp.request("GET", "/api/calls", null));
    assertThat(elsewhere.status()).isEqualTo(404);
    assertProblem(elsewhere);

    RawHttp.Response oldVersion =
        RawHttp.send(
            media,
            RawHttp.request(
                "GET",
                "/twilio/media",
                null,
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Version: 8"));
    assertThat(oldVersion.status()).isEqualTo(426);
    assertThat(oldVersion.header("Sec-WebSocket-Version")).contains("13");
    assertProblem(oldVersion);

    RawHttp.Response longLine =
        RawHttp.send(media, RawHttp.request("GET", "/twilio/media?" + "a".repeat(6000), null));
    assertThat(longLine.status()).isEqualTo(414);

    // the API port has no media socket any more
    RawHttp.Response api = RawHttp.send(port, RawHttp.request("GET", "/twilio/media", null));
    assertThat(api.status()).isIn(403, 404);
  }

  @Test
  void theErrorPageIsNotAnEndpoint(CapturedOutput output) throws Exception {
    int before = output.getOut().length();
    for (String method : List.of("GET", "POST", "DELETE")) {
      RawHttp.Response response = RawHttp.send(port, RawHttp.request(method, "/error", null));
      assertThat(response.status()).as(method).isEqualTo(404);
      assertProblem(response);
    }
    RawHttp.Response docs = RawHttp.send(port, RawHttp.request("GET", "/v3/api-docs", null));
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body()).contains("/api/agents").doesNotContain("\"/error\"");
    // Building the document (on its first request) logs no stack trace either.
    assertThat(output.getOut().substring(before)).doesNotContain("\tat ");
  }

  @Test
  void aBadBearerTokenOnAnOpenPathIsIgnored() throws Exception {
    for (String token : List.of("Bearer xyz", "Bearer a.b.c", "Bearer ")) {
      RawHttp.Response health =
          RawHttp.send(
              port, RawHttp.request("GET", "/actuator/health", null, "Authorization: " + token));
      assertThat(health.status()).as(token).isEqualTo(200);
      assertThat(health.body()).contains("UP");
    }
    // where a token is required, a bad one is still refused
    RawHttp.Response api =
        RawHttp.send(
            port, RawHttp.request("GET", "/api/agents", null, "Authorization: Bearer xyz"));
    assertThat(api.status()).isEqualTo(401);
    assertProblem(api);
  }

  static void assertProblem(RawHttp.Response response) {
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.body()).contains("\"status\":" + response.status());
  }
}
