package io.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Parley's public HTTP API, as an operator's script would use it. */
final class ParleyApi {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * The administrator the bench signs in as: a server it starts gets it through {@code
   * PARLEY_BOOTSTRAP_ADMIN_EMAIL} / {@code _PASSWORD} ({@link ServerProcess}).
   */
  static final String EMAIL = "loadrunner@example.com";

  static final String PASSWORD = "a long load passphrase 42";

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI base;
  private String token;

  ParleyApi(URI base) {
    this.base = base;
  }

  /** Logs in again (an access token lives 15 minutes). */
  void login() throws IOException, InterruptedException {
    ObjectNode credentials = JSON.createObjectNode().put("email", EMAIL).put("password", PASSWORD);
    token = send("POST", "/api/auth/login", credentials, false).path("accessToken").asString();
    if (token == null || token.isEmpty()) {
      throw new IllegalStateException("login gave no access token");
    }
  }

  String createPrompt(String name, String content) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("content", content);
    return send("POST", "/api/prompts", body, true).path("id").asString();
  }

  /**
   * An agent on {@code mode}'s number with ElevenLabs (Aura as fallback), the xAI model, no
   * recording, and the mode's barge-in rule.
   */
  String createAgent(String promptId, BargeInMode mode, String greeting)
      throws IOException, InterruptedException {
    String body =
        """
        {"name": "Bench", "promptId": "%s", "greeting": "%s",
         "voice": {"provider": "elevenlabs", "voiceId": "bench"},
         "fallbackVoice": {"provider": "deepgram", "voiceId": "aura-2-thalia-en"},
         "llm": {"model": "grok-4-fast-non-reasoning"}, "twilioNumber": "%s",
         "recording": {"enabled": false},
         "turnTaking": {"bargeInMinWords": %d, "bargeInMinSpeechMs": %d}}
        """
            .formatted(promptId, greeting, mode.agentNumber, mode.minWords, mode.minSpeechMs);
    return send("POST", "/api/agents", JSON.readTree(body), true).path("id").asString();
  }

  /** Waits until saving the agent has pointed the number's voice URL at this server. */
  void awaitNumberSynced(String agentId, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      state = get("/api/agents/" + agentId).path("status").path("numberSync").asString("");
      if (state.equals("synced")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the agent's number did not sync: " + state);
  }

  /** An informational campaign for {@code agentId}, as a draft. */
  String createCampaign(String name, String agentId) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("name", name);
    body.putObject("settings").put("purpose", "informational").put("agentId", agentId);
    return send("POST", "/api/campaigns", body, true).path("id").asString();
  }

  /**
   * Uploads a lead file streamed from {@code csv} (never held whole on this side either) and
   * returns the import's report.
   */
  JsonNode importLeads(String campaignId, java.util.function.Supplier<java.io.InputStream> csv)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/campaigns/" + campaignId + "/leads"))
            .timeout(Duration.ofMinutes(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofInputStream(csv))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("the import answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  JsonNode call(String callId) throws IOException, InterruptedException {
    return get("/api/calls/" + callId);
  }

  /** The Prometheus text of {@code /actuator/prometheus}. */
  String prometheus() throws IOException, InterruptedException {
    HttpRequest.Builder rq = HttpRequest.newBuilder(base.resolve("/actuator/prometheus"));
    if (token != null) {
      rq.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(rq.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/actuator/prometheus answered " + r.statusCode());
    }
    return r.body();
  }

  /** The sum of a metric's samples whose labels contain {@code labelPart} (bytes, seconds...). */
  double metric(String name, String labelPart) throws IOException, InterruptedException {
    return sum(prometheus(), name, labelPart);
  }

  /** The sum of every sample of a metric in a Prometheus text (0 when it has none yet). */
  static double sum(String prometheus, String name) {
    return sum(prometheus, name, "");
  }

  private static double sum(String prometheus, String name, String labelPart) {
    double sum = 0;
    for (String line : prometheus.split("\n")) {
      if ((line.startsWith(name + "{") || line.startsWith(name + " "))
          && line.contains(labelPart)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send("GET", path, null, true);
  }

  JsonNode post(String path) throws IOException, InterruptedException {
    return send("POST", path, null, true);
  }

  JsonNode put(String path, JsonNode body) throws IOException, InterruptedException {
    return send("PUT", path, body, true);
  }

  private JsonNode send(String method, String path, JsonNode body, boolean auth)
      throws IOException, InterruptedException {
    HttpRequest.Builder rq =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (auth) {
      rq.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      rq.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      rq.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    HttpResponse<String> r = http.send(rq.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }
}
