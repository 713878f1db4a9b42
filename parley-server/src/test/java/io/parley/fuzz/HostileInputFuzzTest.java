package io.parley.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.http.Params;
import io.parley.sim.twilio.TwilioSignature;
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.RawHttp;
import io.parley.support.SimProviders;
import io.parley.support.SimTwilio;
import io.parley.telephony.twilio.MalformedFrameException;
import io.parley.telephony.twilio.MediaStreamCodec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.node.ObjectNode;

/**
 * The probes of issue 11, as a seeded fuzz test against the real server on a real port: a few
 * thousand hostile REST bodies and query strings, signed and forged Twilio webhooks, raw HTTP no
 * client library would send, Media Streams frames (to the codec, to sockets before and after a call
 * is admitted) and CSV imports. Whatever arrives, Parley answers 4xx, never 5xx (a socket is never
 * closed with 1011), every error is a problem detail, and nothing is logged with a stack trace or
 * at ERROR.
 *
 * <p>Each surface draws from its own {@link Random} seeded from {@code -Dparley.fuzz.seed} (a fixed
 * default), so a failure names its seed and case and replays exactly.
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class HostileInputFuzzTest {

  static final long SEED = Long.getLong("parley.fuzz.seed", 11L);
  static final String PUBLIC_URL = "https://parley.fuzz.example";
  static final String AGENT_NUMBER = "+14155550170";

  @AutoClose
  static final Sim SIM = Sim.start(SimConfig.defaults().withTwilio(SimTwilio.owning(AGENT_NUMBER)));

  @DynamicPropertySource
  static void simulators(DynamicPropertyRegistry registry) {
    SimProviders.all(registry, SIM);
    // Signatures are checked against this base, whatever Host a raw request names.
    registry.add("parley.public-url", () -> PUBLIC_URL);
  }

  @LocalServerPort int port;
  @Autowired MockMvc mvc;
  @Autowired io.parley.telephony.MediaServer mediaServer;
  @Autowired DataSource dataSource;

  private final LogWatch log = new LogWatch();
  private Accounts.Session admin;
  private Accounts.Session viewer;
  private String agentId;
  private String promptId;

  /** What went wrong in one surface's run: each entry names the case. */
  private final List<String> findings = new ArrayList<>();

  private int cases;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    Accounts accounts = new Accounts(mvc);
    admin = accounts.firstAdmin();
    viewer = accounts.user(Role.VIEWER);
    String prompt =
        mvc.perform(
                post("/api/prompts")
                    .with(admin.bearer())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        """
                        {"name": "Fuzz", "content": "You answer {{first_name}} at {{now}}.",
                         "variables": [{"name": "first_name", "defaultValue": "there"}]}
                        """))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    promptId = Hostile.JSON.readTree(prompt).get("id").asString();
    String created =
        mvc.perform(
                post("/api/agents")
                    .with(admin.bearer())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(agent(AGENT_NUMBER).toString()))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    agentId = Hostile.JSON.readTree(created).get("id").asString();
    log.attach();
  }

  @AfterEach
  void checkTheLog() {
    log.detach();
    System.out.printf("fuzz: %d cases (seed %d)%n", cases, SEED);
    assertThat(findings).as("responses (seed %d)", SEED).isEmpty();
    assertThat(log.findings()).as("stack traces or errors logged (seed %d)", SEED).isEmpty();
  }

  // ---- REST bodies and query strings -------------------------------------------------------

  private ObjectNode agent(String number) {
    ObjectNode agent =
        (ObjectNode)
            Hostile.JSON.readTree(
                """
                {"name": "Fuzz desk", "promptId": "%s", "promptVersion": 1,
                 "greeting": "Hello, this is the fuzz desk.", "language": "en-US",
                 "voice": {"provider": "elevenlabs", "voiceId": "v1"},
                 "fallbackVoice": {"provider": "deepgram", "voiceId": "aura-2-thalia-en"},
                 "llm": {"provider": "xai", "model": "grok-3-mini", "temperature": 0.4},
                 "recording": {"enabled": false, "channels": "mono"},
                 "amd": {"mode": "enable", "async": true, "timeoutSeconds": 20},
                 "turnTaking": {"endpointingMs": 250, "backchannels": ["okay"]},
                 "maxCallDurationSeconds": 600,
                 "tools": [{"type": "end_call"},
                           {"type": "record_answer", "name": "date", "description": "The date",
                            "schema": {"type": "object", "properties": {"d": {"type": "string"}}}}]}
                """
                    .formatted(promptId));
    if (number != null) {
      agent.put("twilioNumber", number);
    }
    return agent;
  }

  private record Endpoint(String method, String path, ObjectNode template, String bearer) {}

  private List<Endpoint> endpoints() {
    String operator = admin.authorization();
    return List.of(
        new Endpoint("POST", "/api/agents", agent(null), operator),
        new Endpoint("PUT", "/api/agents/" + agentId, agent(null).put("version", 1), operator),
        new Endpoint(
            "POST",
            "/api/users",
            json(
                "{\"email\": \"f@parley.test\", \"password\": \"%s\", \"role\": \"VIEWER\","
                    + " \"displayName\": \"F\"}",
                Accounts.PASSWORD),
            operator),
        new Endpoint(
            "PATCH",
            "/api/users/" + viewer.userId(),
            json("{\"role\": \"VIEWER\", \"enabled\": true, \"displayName\": \"V\"}"),
            operator),
        new Endpoint(
            "POST",
            "/api/prompts",
            json(
                "{\"name\": \"P\", \"description\": \"d\", \"content\": \"Hi {{first_name}}\","
                    + " \"variables\": [{\"name\": \"first_name\", \"required\": true}],"
                    + " \"note\": \"n\"}"),
            operator),
        new Endpoint(
            "PUT",
            "/api/prompts/" + promptId,
            json("{\"baseVersion\": 1, \"content\": \"Hello {{first_name}}\", \"note\": \"n\"}"),
            operator),
        new Endpoint(
            "POST",
            "/api/prompts/" + promptId + "/versions/1/render",
            json(
                "{\"variables\": {\"first_name\": \"Asha\"}, \"timeZone\": \"Asia/Kolkata\","
                    + " \"agentName\": \"A\", \"callerPhone\": \"+14155550123\","
                    + " \"calleePhone\": \"+919876543210\"}"),
            operator),
        new Endpoint(
            "POST",
            "/api/dnc",
            json("{\"phoneNumber\": \"+14155550199\", \"reason\": \"asked\"}"),
            operator),
        // An agent nobody has: the body is checked, nothing is ever dialled.
        new Endpoint(
            "POST",
            "/api/calls",
            json(
                "{\"agentId\": \"%s\", \"to\": \"+14155550188\", \"variables\": {\"first_name\":"
                    + " \"A\"}, \"timeZone\": \"America/Los_Angeles\", \"amd\": {\"mode\":"
                    + " \"enable\", \"async\": true}, \"ringTimeoutSeconds\": 20}",
                UUID.randomUUID()),
            operator),
        new Endpoint("POST", "/api/tickets", json("{\"purpose\": \"live-calls\"}"), operator),
        new Endpoint(
            "POST",
            "/api/tickets",
            json("{\"purpose\": \"campaign-events\", \"campaignId\": \"%s\"}", UUID.randomUUID()),
            operator),
        new Endpoint(
            "POST", "/api/auth/refresh", json("{\"refreshToken\": \"%s\"}", "x".repeat(43)), null));
  }

  private static ObjectNode json(String text, Object... args) {
    return (ObjectNode) Hostile.JSON.readTree(text.formatted(args));
  }

  @Test
  void restBodiesAndQueryStrings() throws Exception {
    Hostile hostile = new Hostile(new Random(SEED));
    List<Endpoint> endpoints = endpoints();
    for (int i = 0; i < 1200; i++) {
      Endpoint endpoint = hostile.pick(endpoints);
      byte[] body = hostile.mutate(endpoint.template());
      List<String> headers = new ArrayList<>();
      headers.add(
          "Content-Type: "
              + (hostile.chance(0.9)
                  ? "application/json"
                  : hostile.pick(
                      List.of(
                          "application/json; charset=latin1",
                          "text/plain",
                          "application/x-www-form-urlencoded",
                          "multipart/form-data; boundary=",
                          "application/xml"))));
      String bearer = hostile.chance(0.05) ? "Bearer " + hostile.text() : endpoint.bearer();
      if (bearer != null) {
        headers.add("Authorization: " + printable(bearer));
      }
      if (endpoint.path().equals("/api/calls") && hostile.chance(0.3)) {
        headers.add("Idempotency-Key: " + printable(hostile.text()));
      }
      send("rest " + i, endpoint.method(), endpoint.path(), body, headers);
    }
    List<String> lists =
        List.of(
            "/api/agents?page=%s&size=%s",
            "/api/users?page=%s&size=%s",
            "/api/prompts?page=%s&size=%s",
            "/api/dnc?number=%s&includeRemoved=%s",
            "/api/dnc/check?phoneNumber=%s&x=%s",
            "/api/calling-window/check?phoneNumber=%s&timeZone=%s",
            "/api/audit?action=%s&from=%s",
            "/api/audit?actorId=%s&targetId=%s",
            "/api/calls?status=%s&from=%s",
            "/api/calls?agentId=%s&direction=%s",
            "/api/calls?q=%s&sort=%s",
            "/api/calls?fromNumber=%s&hasRecording=%s",
            "/api/calls/export.csv?q=%s&outcome=%s",
            "/api/calls/live?reconcile=%s&x=%s",
            "/api/prompts/" + promptId + "/diff?from=%s&to=%s",
            "/api/agents/%s?x=%s",
            "/api/calls/%s?x=%s",
            // the ticket is the credential here; hostile ones must be a plain 401
            "/api/calls/live/events?ticket=%s&x=%s",
            // a signed link is the credential here; hostile ones must be a plain 403
            "/api/calls/" + UUID.randomUUID() + "/recording/audio?expires=%s&sig=%s");
    for (int i = 0; i < 400; i++) {
      String path =
          hostile
              .pick(lists)
              .formatted(query(hostile.text()), query(hostile.text()))
              .replace("/%s?", "/" + query(hostile.text()) + "?");
      String method = hostile.chance(0.9) ? "GET" : "DELETE";
      if (hostile.chance(0.2)) {
        path = "/api/dnc/" + query(hostile.text()) + "?reason=" + query(hostile.text());
        method = "DELETE";
      }
      send("query " + i, method, path, null, List.of("Authorization: " + admin.authorization()));
    }
    for (int i = 0; i < 60; i++) {
      byte[] body =
          hostile.mutate(json("{\"email\": \"%s\", \"password\": \"%s\"}", viewer.email(), "x"));
      send(
          "login " + i, "POST", "/api/auth/login", body, List.of("Content-Type: application/json"));
    }
  }

  private static String query(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** A header value as a client can put it on the wire: no line breaks, Latin-1 only. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    for (char c : value.toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.length() > 4000 ? out.substring(0, 4000) : out.toString();
  }

  // ---- Twilio webhooks ------------------------------------------------------------------------

  @Test
  void twilioWebhooks() throws Exception {
    Hostile hostile = new Hostile(new Random(SEED + 1));
    List<String> paths =
        List.of(
            "/twilio/voice",
            "/twilio/status",
            "/twilio/recording",
            "/twilio/amd",
            "/twilio/fallback",
            "/twilio/stream-ended");
    List<String> names =
        List.of(
            "CallSid",
            "AccountSid",
            "From",
            "To",
            "CallStatus",
            "CallDuration",
            "Timestamp",
            "AnsweredBy",
            "RecordingSid",
            "RecordingUrl",
            "RecordingStatus",
            "RecordingDuration",
            "ErrorCode",
            "ErrorUrl",
            "Direction");
    for (int i = 0; i < 700; i++) {
      String path = hostile.pick(paths);
      Map<String, String> params = new LinkedHashMap<>();
      params.put("CallSid", hostile.chance(0.7) ? callSid() : hostile.text());
      params.put("From", hostile.chance(0.5) ? "+14155550177" : hostile.text());
      params.put("To", hostile.chance(0.5) ? AGENT_NUMBER : hostile.text());
      params.put(
          "CallStatus",
          hostile.chance(0.5)
              ? hostile.pick(List.of("ringing", "in-progress", "completed", "busy", "failed"))
              : hostile.text());
      for (int n = hostile.between(0, 5); n > 0; n--) {
        params.put(hostile.pick(names), hostile.text());
      }
      String query =
          hostile.chance(0.3)
              ? "?call="
                  + query(hostile.chance(0.5) ? UUID.randomUUID().toString() : hostile.text())
                  + (hostile.chance(0.3) ? "&amd=async" : "")
              : "";
      String signature =
          hostile.chance(0.85)
              ? TwilioSignature.sign(
                  SIM.twilio().authToken(), PUBLIC_URL + path + query, Params.of(params))
              : hostile.pick(List.of("", "bm90IGEgc2lnbmF0dXJl", printable(hostile.text())));
      String form = Params.of(params).encode();
      List<String> headers = new ArrayList<>();
      headers.add("Content-Type: application/x-www-form-urlencoded");
      headers.add("X-Twilio-Signature: " + signature);
      send("webhook " + i, "POST", path + query, form.getBytes(StandardCharsets.UTF_8), headers);
    }
  }

  private static String callSid() {
    return "CA" + UUID.randomUUID().toString().replace("-", "");
  }

  // ---- raw HTTP --------------------------------------------------------------------------------

  @Test
  void rawHttp() throws Exception {
    Hostile hostile = new Hostile(new Random(SEED + 2));
    List<String> paths =
        List.of(
            "/api/agents",
            "/api/auth/login",
            "/api/users/",
            "/api/calls/x/hangup",
            "/twilio/voice",
            "/twilio/media",
            "/actuator/health",
            "/actuator/prometheus",
            "/error",
            "/v3/api-docs",
            "/swagger-ui.html",
            "/",
            "/nowhere");
    List<String> breakers =
        List.of(
            "%00",
            "%2F",
            "%2f",
            "%5C",
            "%ZZ",
            "%",
            "/../",
            "/./",
            ";jsessionid=x",
            "//",
            "%0d%0a",
            "%C0%AF",
            "%E2%80%AE",
            "é",
            "a".repeat(9000),
            "?a=%00&b=%",
            "#frag",
            "%252F");
    List<String> methods =
        List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "BREW");
    for (int i = 0; i < 500; i++) {
      String method = hostile.pick(methods);
      String path = hostile.pick(paths);
      if (hostile.chance(0.7)) {
        int at = hostile.between(1, path.length());
        path = path.substring(0, at) + hostile.pick(breakers) + path.substring(at);
      }
      List<String> headers = new ArrayList<>();
      for (int n = hostile.between(0, 3); n > 0; n--) {
        headers.add(
            hostile.pick(
                List.of(
                    "Authorization: Bearer " + printable(hostile.text()),
                    "Authorization: Basic " + printable(hostile.text()),
                    "Content-Type: " + printable(hostile.text()),
                    "Content-Type: multipart/form-data",
                    "Accept: " + printable(hostile.text()),
                    "X-Forwarded-For: " + printable(hostile.text()),
                    "Forwarded: for=" + printable(hostile.text()),
                    "X-Big: " + "b".repeat(hostile.between(1, 12_000)),
                    "Upgrade: websocket",
                    "Connection: Upgrade",
                    "Sec-WebSocket-Version: 7",
                    "Range: bytes=" + printable(hostile.text()),
                    "Transfer-Encoding: chunked")));
      }
      String body = hostile.chance(0.5) ? hostile.text() : null;
      // A chunked body is never sent here: the server would rightly wait for it.
      headers.removeIf(header -> header.startsWith("Transfer-Encoding"));
      send(
          "raw " + i,
          method,
          path,
          body == null ? null : body.getBytes(StandardCharsets.UTF_8),
          headers);
    }
  }

  // ---- CSV imports ---------------------------------------------------------------------------

  @Test
  void csvImports() throws Exception {
    Hostile hostile = new Hostile(new Random(SEED + 3));
    for (int i = 0; i < 150; i++) {
      StringBuilder csv = new StringBuilder();
      if (hostile.chance(0.9)) {
        csv.append(hostile.chance(0.1) ? "\uFEFF" : "")
            .append(
                hostile.pick(
                    List.of(
                        "phone_number,reason", "Phone_Number", "reason,phone_number", "x,y,z", "")))
            .append(hostile.chance(0.5) ? "\r\n" : "\n");
      }
      for (int row = hostile.between(0, 30); row > 0; row--) {
        String number =
            hostile.chance(0.6)
                ? "+1415555" + String.format("%04d", hostile.between(0, 9999))
                : hostile.text();
        String reason = hostile.chance(0.5) ? "asked" : hostile.text();
        String line =
            switch (hostile.random().nextInt(6)) {
              case 0 -> "\"" + number.replace("\"", "\"\"") + "\",\"" + reason + "\"";
              case 1 -> number + ",\"" + reason;
              case 2 -> number + "," + reason + "," + hostile.text();
              case 3 -> "\"" + number + "\"x," + reason;
              default -> number + "," + reason;
            };
        csv.append(line).append(hostile.chance(0.5) ? "\r\n" : "\n");
      }
      byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
      if (hostile.chance(0.1)) {
        // not UTF-8 at all
        bytes = new byte[hostile.between(1, 300)];
        hostile.random().nextBytes(bytes);
      }
      if (hostile.chance(0.02)) {
        bytes =
            ("phone_number\n" + "+14155550100\n".repeat(90_000)).getBytes(StandardCharsets.UTF_8);
      }
      send(
          "csv " + i,
          "POST",
          "/api/dnc/import",
          bytes,
          List.of(
              "Content-Type: " + (hostile.chance(0.9) ? "text/csv" : "text/plain; charset=utf-8"),
              "Authorization: " + admin.authorization()));
    }
  }

  @Test
  void registryFiles() throws Exception {
    Hostile hostile = new Hostile(new Random(SEED + 6));
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    for (int i = 0; i < 100; i++) {
      String name = hostile.chance(0.6) ? "US%20national" : query(hostile.text());
      String kind = hostile.chance(0.6) ? "national" : query(hostile.text());
      String asOf = hostile.chance(0.6) ? today : query(hostile.text());
      String areaCodes =
          hostile.chance(0.6)
              ? hostile.pick(List.of("201", "201-299,305", "212"))
              : query(hostile.text());
      StringBuilder file = new StringBuilder();
      int lines = hostile.between(0, 40);
      for (int line = 0; line < lines; line++) {
        file.append(
                switch (hostile.between(0, 4)) {
                  case 0 -> "201," + hostile.between(2_000_000, 9_999_999);
                  case 1 -> "+1201" + hostile.between(2_000_000, 9_999_999);
                  case 2 -> hostile.text();
                  default -> String.valueOf(hostile.random().nextLong());
                })
            .append(hostile.chance(0.5) ? "\r\n" : "\n");
      }
      byte[] bytes = file.toString().getBytes(StandardCharsets.UTF_8);
      String type = hostile.pick(List.of("text/plain", "text/csv", "application/octet-stream"));
      if (hostile.chance(0.15)) {
        // Random bytes claiming to be a zip or a gzip.
        bytes = new byte[hostile.between(1, 400)];
        hostile.random().nextBytes(bytes);
        type = hostile.chance(0.5) ? "application/zip" : "application/gzip";
      }
      send(
          "registry " + i,
          "PUT",
          "/api/dnc/registries/"
              + name
              + "?kind="
              + kind
              + "&asOf="
              + asOf
              + "&areaCodes="
              + areaCodes,
          bytes,
          List.of("Content-Type: " + type, "Authorization: " + admin.authorization()));
    }
    for (int i = 0; i < 30; i++) {
      send(
          "registry read " + i,
          hostile.chance(0.5) ? "GET" : "DELETE",
          "/api/dnc/registries/" + query(hostile.text()),
          null,
          List.of("Authorization: " + admin.authorization()));
    }
  }

  @Test
  void campaignsAndLeadFiles() throws Exception {
    Hostile hostile = new Hostile(new Random(SEED + 5));
    ObjectNode campaign =
        json(
            "{\"name\": \"Fuzz\", \"settings\": {\"purpose\": \"telemarketing\", \"agentId\":"
                + " \"%s\", \"promptVersion\": 1, \"callerId\": \"+14155550100\","
                + " \"defaultRegion\": \"US\", \"amdMode\": \"enable\", \"ringTimeoutSeconds\":"
                + " 30, \"maxConcurrentCalls\": 5, \"callsPerSecond\": 1.5, \"requireConsent\":"
                + " true}}",
            agentId);
    String created =
        mvc.perform(
                post("/api/campaigns")
                    .with(admin.bearer())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(campaign.toString()))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String campaignId = Hostile.JSON.readTree(created).get("id").asString();
    for (int i = 0; i < 150; i++) {
      boolean edit = hostile.chance(0.3);
      send(
          "campaign " + i,
          edit ? "PUT" : "POST",
          edit ? "/api/campaigns/" + campaignId : "/api/campaigns",
          hostile.mutate(campaign),
          List.of("Content-Type: application/json", "Authorization: " + admin.authorization()));
    }
    List<String> queries =
        List.of(
            "/api/campaigns?page=%s&size=%s",
            "/api/campaigns/%s?x=%s",
            "/api/campaigns/" + campaignId + "/leads?status=%s&sort=%s",
            "/api/campaigns/" + campaignId + "/leads?phone=%s&importId=%s",
            "/api/campaigns/" + campaignId + "/leads/%s?x=%s",
            "/api/campaigns/" + campaignId + "/imports/%s?outcome=%s",
            "/api/campaigns/%s/results?x=%s",
            // the ticket is the credential here; hostile ones (or ids) must be a plain 401
            "/api/campaigns/" + campaignId + "/events?ticket=%s&x=%s",
            "/api/campaigns/%s/events?ticket=%s");
    for (int i = 0; i < 100; i++) {
      String path =
          hostile
              .pick(queries)
              .formatted(query(hostile.text()), query(hostile.text()))
              .replace("/%s?", "/" + query(hostile.text()) + "?");
      send(
          "campaign query " + i,
          "GET",
          path,
          null,
          List.of("Authorization: " + admin.authorization()));
    }
    // Lifecycle commands: on hostile ids any command; on the real draft only those that leave it
    // a draft (the CSV cases below still need it open).
    for (int i = 0; i < 20; i++) {
      boolean real = hostile.chance(0.3);
      String path =
          "/api/campaigns/"
              + (real ? campaignId : query(hostile.text()))
              + "/"
              + hostile.pick(
                  real
                      ? List.of("pause", "resume")
                      : List.of("pause", "resume", "cancel", "start"));
      send(
          "campaign command " + i,
          "POST",
          path,
          hostile.chance(0.5) ? null : hostile.text().getBytes(StandardCharsets.UTF_8),
          List.of("Authorization: " + admin.authorization()));
    }
    for (int i = 0; i < 150; i++) {
      StringBuilder csv = new StringBuilder();
      String separator = hostile.chance(0.7) ? "," : ";";
      if (hostile.chance(0.9)) {
        csv.append(hostile.chance(0.1) ? "\uFEFF" : "")
            .append(
                hostile.pick(
                    List.of(
                        "phone,first_name,time_zone,consent_at,visit",
                        "Phone;First Name;Time Zone",
                        "mobile,name",
                        "phone,phone",
                        "phone,,x",
                        "1st,phone",
                        "")))
            .append(hostile.chance(0.5) ? "\r\n" : "\n");
      }
      for (int row = hostile.between(0, 30); row > 0; row--) {
        String number =
            hostile.chance(0.6)
                ? hostile.pick(List.of("+1415555", "(212) 555-", "0151 2345"))
                    + String.format("%04d", hostile.between(0, 9999))
                : hostile.text();
        String zone =
            hostile.chance(0.5)
                ? hostile.pick(List.of("America/New_York", "", "Mars/Base"))
                : hostile.text();
        String consent = hostile.chance(0.5) ? "2026-01-02" : hostile.text();
        String line =
            switch (hostile.random().nextInt(6)) {
              case 0 ->
                  "\""
                      + number.replace("\"", "\"\"")
                      + "\""
                      + separator
                      + "\""
                      + hostile.text()
                      + "\"";
              case 1 -> number + separator + "\"" + hostile.text();
              case 2 ->
                  String.join(
                      separator,
                      number,
                      hostile.text(),
                      zone,
                      consent,
                      hostile.text(),
                      hostile.text());
              case 3 -> "\"" + number + "\"x" + separator + zone;
              default -> String.join(separator, number, hostile.text(), zone, consent);
            };
        csv.append(line).append(hostile.chance(0.5) ? "\r\n" : "\n");
      }
      byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
      if (hostile.chance(0.1)) {
        bytes = new byte[hostile.between(1, 300)];
        hostile.random().nextBytes(bytes);
      }
      String mapping =
          hostile.chance(0.2)
              ? "?map=" + query(hostile.text()) + "&fileName=" + query(hostile.text())
              : hostile.chance(0.2) ? "?map=mobile:phone&map=name:first_name" : "";
      send(
          "lead file " + i,
          "POST",
          "/api/campaigns/" + campaignId + "/leads" + mapping,
          bytes,
          List.of(
              "Content-Type: "
                  + hostile.pick(
                      List.of("text/csv", "text/plain; charset=utf-8", "application/octet-stream")),
              "Authorization: " + admin.authorization()));
    }
  }

  // ---- Media Streams -------------------------------------------------------------------------

  @Test
  void mediaStreamFrames() throws Exception {
    Hostile hostile = new Hostile(new Random(SEED + 4));
    MediaStreamCodec codec = new MediaStreamCodec();
    for (int i = 0; i < 3000; i++) {
      String frame = frame(hostile, "MZ1", "CA1");
      cases++;
      try {
        codec.parse(frame);
      } catch (MalformedFrameException expected) {
        // refused as malformed: what the socket counts
      } catch (RuntimeException e) {
        findings.add("codec " + i + ": " + e + " for " + abbreviate(frame));
      }
    }
    // Sockets nobody admitted: a stream of garbage, then the server closes it or it stays open.
    for (int socket = 0; socket < 12; socket++) {
      MediaClient client = MediaClient.open(mediaServer.port());
      for (int i = 0; i < 30 && client.isOpen(); i++) {
        sendFrame(client, hostile, frame(hostile, "MZ" + socket, "CA" + socket));
      }
      client.close();
      client.assertNoServerError("socket " + socket, findings);
    }
    // Calls admitted with a real token, then given the same treatment.
    for (int call = 0; call < 3; call++) {
      String callSid = callSid();
      String token = ring(callSid);
      MediaClient client = MediaClient.open(mediaServer.port());
      String streamSid = "MZ" + UUID.randomUUID().toString().replace("-", "");
      client.send("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
      client.send(
          "{\"event\":\"start\",\"streamSid\":\"%s\",\"start\":{\"streamSid\":\"%s\",\"callSid\":\"%s\",\"customParameters\":{\"token\":\"%s\"},\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}"
              .formatted(streamSid, streamSid, callSid, token));
      for (int i = 0; i < 300 && client.isOpen(); i++) {
        String frame =
            hostile.chance(0.6) ? media(hostile, streamSid) : frame(hostile, streamSid, callSid);
        sendFrame(client, hostile, frame);
      }
      client.close();
      client.assertNoServerError("call " + call, findings);
    }
  }

  private void sendFrame(MediaClient client, Hostile hostile, String frame) {
    cases++;
    if (hostile.chance(0.03)) {
      client.sendBinary(new byte[hostile.between(1, 200)]);
    } else if (hostile.chance(0.02)) {
      client.send("x".repeat(20_000));
    } else {
      client.send(frame);
    }
  }

  private static String media(Hostile hostile, String streamSid) {
    byte[] audio = new byte[hostile.chance(0.9) ? 160 : hostile.between(0, 4000)];
    hostile.random().nextBytes(audio);
    return "{\"event\":\"media\",\"streamSid\":\"%s\",\"media\":{\"track\":\"inbound\",\"chunk\":\"%d\",\"timestamp\":\"%d\",\"payload\":\"%s\"}}"
        .formatted(
            streamSid,
            hostile.between(1, 1000),
            hostile.between(0, 100_000),
            Base64.getEncoder().encodeToString(audio));
  }

  /** A frame of any event, with odd values, or no frame at all. */
  private static String frame(Hostile hostile, String streamSid, String callSid) {
    String text = Hostile.JSON.writeValueAsString(hostile.text());
    return switch (hostile.random().nextInt(11)) {
      case 0 ->
          "{\"event\":\"dtmf\",\"streamSid\":\"%s\",\"dtmf\":{\"digit\":%s}}"
              .formatted(
                  streamSid,
                  hostile.chance(0.5)
                      ? "\"" + "0123456789*#ABCD".charAt(hostile.between(0, 15)) + "\""
                      : text);
      case 1 ->
          "{\"event\":\"mark\",\"streamSid\":\"%s\",\"mark\":{\"name\":%s}}"
              .formatted(streamSid, text);
      case 2 ->
          "{\"event\":\"stop\",\"streamSid\":\"%s\",\"stop\":{\"callSid\":%s}}"
              .formatted(streamSid, text);
      case 3 ->
          "{\"event\":\"start\",\"start\":{\"streamSid\":%s,\"callSid\":\"%s\",\"customParameters\":{\"token\":%s}}}"
              .formatted(text, callSid, text);
      case 4 ->
          "{\"event\":\"media\",\"media\":{\"payload\":%s,\"chunk\":%s}}".formatted(text, text);
      case 5 -> "{\"event\":%s}".formatted(text);
      case 6 -> "{\"event\":\"connected\",\"protocol\":%s,\"version\":%s}".formatted(text, text);
      case 7 -> hostile.mutateText("{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"}}");
      case 8 -> Hostile.JSON.writeValueAsString(hostile.value());
      case 9 ->
          "{\"event\":\"media\",\"media\":"
              + Hostile.JSON.writeValueAsString(hostile.value())
              + "}";
      default -> hostile.text();
    };
  }

  /** Answers an inbound call through the signed voice webhook; returns the stream's token. */
  private String ring(String callSid) throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("CallSid", callSid);
    params.put("From", "+14155550177");
    params.put("To", AGENT_NUMBER);
    params.put("CallStatus", "ringing");
    String signature =
        TwilioSignature.sign(
            SIM.twilio().authToken(), PUBLIC_URL + "/twilio/voice", Params.of(params));
    RawHttp.Response answer =
        RawHttp.send(
            port,
            RawHttp.request(
                "POST",
                "/twilio/voice",
                Params.of(params).encode(),
                "Content-Type: application/x-www-form-urlencoded",
                "X-Twilio-Signature: " + signature));
    Matcher token = Pattern.compile("name=\"token\" value=\"([0-9a-f]+)\"").matcher(answer.body());
    assertThat(token.find()).as(answer.body()).isTrue();
    return token.group(1);
  }

  /** A media socket played by hand, recording how the server closed it. */
  private static final class MediaClient implements WebSocket.Listener {
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket ws;

    static MediaClient open(int port) {
      MediaClient client = new MediaClient();
      client.ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/twilio/media"), client)
              .orTimeout(10, TimeUnit.SECONDS)
              .join();
      return client;
    }

    boolean isOpen() {
      return !closed.isDone() && !ws.isOutputClosed();
    }

    void send(String text) {
      try {
        ws.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
      } catch (RuntimeException closedMeanwhile) {
        // the server closed the socket: what it said is checked at the end
      }
    }

    void sendBinary(byte[] bytes) {
      try {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(5, TimeUnit.SECONDS).join();
      } catch (RuntimeException closedMeanwhile) {
        // as above
      }
    }

    void close() {
      if (isOpen()) {
        try {
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).join();
        } catch (RuntimeException alreadyClosed) {
          // as above
        }
      }
      try {
        closed.get(10, TimeUnit.SECONDS);
      } catch (Exception notClosed) {
        ws.abort();
      }
    }

    void assertNoServerError(String where, List<String> findings) {
      Integer code = closed.getNow(null);
      if (code != null && code == 1011) {
        findings.add(where + ": the server closed the socket with 1011 (internal error)");
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }

  // ---- sending and judging -------------------------------------------------------------------

  private void send(String name, String method, String path, byte[] body, List<String> headers)
      throws Exception {
    cases++;
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] request = new byte[start.length + (body == null ? 0 : body.length)];
    System.arraycopy(start, 0, request, 0, start.length);
    if (body != null) {
      System.arraycopy(body, 0, request, start.length, body.length);
    }
    // A third of the cases go to the media port, whose HTTP side is Netty's, not the container's.
    boolean media = cases % 3 == 0;
    String what = name + (media ? " (media port)" : "") + ": " + method + " " + abbreviate(path);
    RawHttp.Response response;
    try {
      response = RawHttp.send(media ? mediaServer.port() : port, request);
    } catch (IOException noAnswer) {
      findings.add(what + " -> no answer: " + noAnswer);
      return;
    }
    if (response.status() >= 500) {
      findings.add(what + " -> " + response.status() + " " + abbreviate(response.body()));
    }
    boolean hasBody = !response.body().isEmpty() && !method.equals("HEAD");
    String type = response.header("Content-Type");
    if (response.status() >= 400
        && hasBody
        && (type == null || !type.startsWith("application/problem+json"))) {
      findings.add(
          what + " -> " + response.status() + " as " + type + ": " + abbreviate(response.body()));
    }
    // An error never shows what failed inside (the metrics may name exceptions as labels).
    if (response.status() >= 400
        && (response.body().contains("\tat ") || response.body().contains("Exception"))) {
      findings.add(what + " -> the body shows an exception: " + abbreviate(response.body()));
    }
  }

  private static String abbreviate(String text) {
    String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }
}
