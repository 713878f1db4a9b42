package io.parley.sim.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.sim.AdminConfig;
import io.parley.sim.AppServer;
import io.parley.sim.Json;
import io.parley.sim.MediaApp;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.audio.EmissionLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The standalone jar's admin API, driven over HTTP as an operator's curl would. */
class AdminApiTest {
  private static final String KEY = "test-admin-key";
  private static final String AGENT = "+15550001000";
  private static final String CALLER = "+15557654321";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AppServer app = new AppServer();
  private final MediaApp media = new MediaApp();
  private Sim sim;
  private AdminApi admin;

  @BeforeEach
  void start() {
    sim = Sim.start(SimConfig.defaults().withAdmin(new AdminConfig(0, KEY)));
    admin = AdminApi.start(sim);
  }

  @AfterEach
  void stop() {
    admin.close();
    sim.close();
    media.close();
    app.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String key)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(admin.url() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (body != null) {
      b.header("Content-Type", body.startsWith("{") ? "application/json" : "application/yaml");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode call(String method, String path, String body, int expectedStatus)
      throws Exception {
    HttpResponse<String> r = send(method, path, body, KEY);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expectedStatus);
    return Json.parse(r.body());
  }

  private HttpResponse<String> llm() throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sim.llmBaseUrl() + "/chat/completions"))
            .header("Authorization", "Bearer " + sim.llm().apiKey())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"grok-4-fast-non-reasoning\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> twilioCalls() throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (sim.twilio().accountSid() + ":" + sim.twilio().authToken())
                    .getBytes(StandardCharsets.UTF_8));
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    sim.twilioApiUrl()
                        + "/2010-04-01/Accounts/"
                        + sim.twilio().accountSid()
                        + "/Calls.json"))
            .header("Authorization", "Basic " + basic)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void reportsWhatTheServersDidWithConnections() throws Exception {
    // a client that offers h2c, as the JDK's default client does on http://
    HttpResponse<String> refused =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(sim.llmBaseUrl() + "/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(400);

    JsonNode connections = call("GET", "/connections", null, 200);

    assertThat(connections.path("keepAliveTimeoutMs").asLong()).isEqualTo(5000);
    assertThat(connections.path("refuseH2c").asBoolean()).isTrue();
    assertThat(connections.path("servers").path("llm").path("h2cRefused").asLong()).isEqualTo(1);
    assertThat(connections.path("servers").path("llm").path("requestsOnClosedConnections").asLong())
        .isZero();
  }

  @Test
  void refusesRequestsWithoutTheKey() throws Exception {
    assertThat(send("GET", "/faults", null, null).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = send("GET", "/faults", null, "not-the-key");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();
    HttpResponse<String> armed =
        send(
            "POST", "/faults", "{\"target\":\"LLM\",\"fault\":{\"type\":\"Hang\"}}", "not-the-key");
    assertThat(armed.statusCode()).isEqualTo(401);
    assertThat(sim.faults().armed()).isEmpty();
  }

  @Test
  void armsAFaultThatTakesEffectListsItAndClearsIt() throws Exception {
    JsonNode armed =
        call(
            "POST",
            "/faults",
            "{\"target\":\"LLM\",\"fault\":{\"type\":\"ErrorStatus\",\"status\":429,"
                + "\"retryAfterMs\":2000},\"count\":1}",
            201);
    assertThat(armed.path("fault").path("type").asString()).isEqualTo("ErrorStatus");
    JsonNode listed = call("GET", "/faults", null, 200).path("faults");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("target").asString()).isEqualTo("LLM");
    assertThat(listed.get(0).path("remaining").asInt()).isEqualTo(1);
    assertThat(listed.get(0).path("fault").path("status").asInt()).isEqualTo(429);

    HttpResponse<String> limited = llm();
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
    // armed for one request only: the next one goes through and the fault is used up
    assertThat(llm().statusCode()).isEqualTo(200);
    assertThat(call("GET", "/faults", null, 200).path("faults")).isEmpty();

    call(
        "POST",
        "/faults",
        "{\"target\":\"twilio\",\"fault\":{\"type\":\"ErrorStatus\",\"status\":500}}",
        201);
    assertThat(twilioCalls().statusCode()).isEqualTo(500);
    assertThat(twilioCalls().statusCode()).isEqualTo(500);
    assertThat(call("DELETE", "/faults", null, 200).path("cleared").asInt()).isEqualTo(1);
    assertThat(twilioCalls().statusCode()).isEqualTo(200);
  }

  @Test
  void refusesAFaultItCannotRead() throws Exception {
    JsonNode target =
        call("POST", "/faults", "{\"target\":\"SIP\",\"fault\":{\"type\":\"Hang\"}}", 400);
    assertThat(target.path("error").asString()).contains("SIP");
    JsonNode type =
        call("POST", "/faults", "{\"target\":\"LLM\",\"fault\":{\"type\":\"Explode\"}}", 400);
    assertThat(type.path("error").asString()).contains("Explode");
    call("POST", "/faults", "not json: [", 400);
    assertThat(sim.faults().armed()).isEmpty();
  }

  @Test
  void placesAnInboundCallWithAScriptAndReportsWhatTheCallerHeard() throws Exception {
    sim.number(AGENT).voiceUrl(app.url("/voice"));
    app.answer(
        "/voice",
        "<Response><Connect><Stream url=\"" + media.wsUrl() + "\"/></Connect></Response>");
    media.behaviour(
        new MediaApp.Behaviour() {
          @Override
          public void started(MediaApp.Stream stream) {
            EmissionLog.Emission greeting = sim.emissions().emit("test", "Hello how can I help");
            byte[] audio = greeting.audio();
            for (int at = 0; at < audio.length; at += 160) {
              stream.sendAudio(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + 160)));
            }
            stream.mark("greeting");
          }
        });
    JsonNode placed =
        call(
            "POST",
            "/calls",
            "{\"from\":\""
                + CALLER
                + "\",\"to\":\""
                + AGENT
                + "\",\"script\":[{\"say\":\"I would like a table\"},{\"hangupAfterMs\":300}]}",
            201);
    String sid = placed.path("sid").asString();
    assertThat(sid).startsWith("CA");
    await().atMost(Duration.ofSeconds(20)).until(() -> sim.call(sid).status().equals("completed"));
    JsonNode done = call("GET", "/calls/" + sid, null, 200);
    assertThat(done.path("status").asString()).isEqualTo("completed");
    assertThat(done.path("direction").asString()).isEqualTo("inbound");
    assertThat(done.path("from").asString()).isEqualTo(CALLER);
    assertThat(done.path("heardText").asString()).isEqualTo("Hello how can I help");
    assertThat(done.path("marks").get(0).path("name").asString()).isEqualTo("greeting");
    assertThat(done.path("said").get(0).path("text").asString()).isEqualTo("I would like a table");
    assertThat(done.path("errors")).isEmpty();
    assertThat(media.streams.getFirst().words).containsExactly("I", "would", "like", "a", "table");

    // the same in YAML, with the script as YAML text inside it
    JsonNode yaml =
        call(
            "POST",
            "/calls",
            "from: \"" + CALLER + "\"\nto: \"" + AGENT + "\"\nscript: |\n  - hangupAfterMs: 100\n",
            201);
    String second = yaml.path("sid").asString();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> sim.call(second).status().equals("completed"));
    assertThat(call("GET", "/calls", null, 200).path("calls")).hasSize(2);
    call("GET", "/calls/CA" + "0".repeat(32), null, 404);
    // a number without a voice URL cannot be called
    call("POST", "/calls", "{\"from\":\"" + CALLER + "\",\"to\":\"+15559998888\"}", 400);
  }

  @Test
  void textsANumberAndShowsTheReply() throws Exception {
    sim.number(AGENT).smsUrl(app.url("/sms"));
    app.answer("/sms", "<Response><Message>See you at 8</Message></Response>");
    JsonNode sent =
        call(
            "POST",
            "/messages",
            "{\"from\":\"" + CALLER + "\",\"to\":\"" + AGENT + "\",\"body\":\"Table at 8?\"}",
            201);
    assertThat(sent.path("sid").asString()).startsWith("SM");
    assertThat(sent.path("webhookStatus").asInt()).isEqualTo(200);
    assertThat(sent.path("replies").get(0).path("body").asString()).isEqualTo("See you at 8");
    assertThat(sent.path("replies").get(0).path("to").asString()).isEqualTo(CALLER);
    assertThat(app.hits("/sms").getFirst().params().get("Body")).isEqualTo("Table at 8?");
    assertThat(call("GET", "/messages", null, 200).path("messages")).hasSize(2);
  }
}
