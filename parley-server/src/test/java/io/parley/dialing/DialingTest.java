package io.parley.dialing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.parley.auth.Role;
import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.NewCall;
import io.parley.media.MediaLoad;
import io.parley.shared.Organisations;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.http.Params;
import io.parley.sim.twilio.SimCall;
import io.parley.sim.twilio.TwilioConfig;
import io.parley.support.Accounts;
import io.parley.support.AgentRequests;
import io.parley.support.Callees;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import io.parley.telephony.CallCapacity;
import io.parley.telephony.CallControl;
import io.parley.telephony.CallControlException;
import io.parley.telephony.OutboundDial;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outbound calls end to end: Parley listens on a real port and is called over HTTP (so the API
 * request's own URL is the base Twilio calls back), dials through the Twilio simulator, and the
 * simulator's signed callbacks come back to it.
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class DialingTest {

  private static final String AGENT_NUMBER = "+14155550123";
  // Callees the calling window allows now by their own zone (a request's timeZone cannot widen it).
  private static final String PERSON = Callees.daytime(88);
  private static final String BUSY = Callees.daytime(86);
  private static final String NO_ANSWER = Callees.daytime(87);
  private static final String FREEPHONE = "+80012345678";
  private static final UUID PROMPT = UUID.fromString("11111111-1111-1111-1111-111111111111");
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @AutoClose
  private static final Sim SIM =
      Sim.start(
          SimConfig.defaults()
              .withTwilio(
                  SimTwilio.owning(AGENT_NUMBER)
                      .withDestinations(
                          Map.of(
                              PERSON,
                              TwilioConfig.Destination.answer(Duration.ofMillis(100), null),
                              BUSY,
                              TwilioConfig.Destination.of(
                                  TwilioConfig.Outcome.BUSY, Duration.ofMillis(100)),
                              NO_ANSWER,
                              TwilioConfig.Destination.of(
                                  TwilioConfig.Outcome.NO_ANSWER, Duration.ZERO)))));

  @DynamicPropertySource
  static void providers(DynamicPropertyRegistry registry) {
    // The agent must be able to talk, or the dial is refused; answered calls talk to the sims.
    io.parley.support.SimProviders.all(registry, SIM);
  }

  /** Twilio refuses this (valid) number as if it could not be called: error 21211. */
  private static final String REFUSED = Callees.daytime(77);

  /** No test dials this number, so Twilio's calls list never has a call to it. */
  private static final String NEVER_CALLED = Callees.daytime(84);

  /**
   * The real call control, except that Twilio's refusal of a number is played for {@link #REFUSED}:
   * the simulator only refuses numbers that Parley's own validation stops first.
   */
  @TestConfiguration
  static class RefusingTwilio {
    @Bean
    @Primary
    CallControl refusingCallControl(@Qualifier("twilioCallControl") CallControl twilio) {
      return (CallControl)
          Proxy.newProxyInstance(
              CallControl.class.getClassLoader(),
              new Class<?>[] {CallControl.class},
              (proxy, method, args) -> {
                if (method.getName().equals("dial")
                    && args[0] instanceof OutboundDial dial
                    && dial.to().equals(REFUSED)) {
                  throw new CallControlException(
                      CallControlException.Reason.INVALID_NUMBER,
                      21211,
                      "Could not dial "
                          + REFUSED
                          + ": Twilio error 21211 Invalid 'To' Phone Number",
                      null);
                }
                try {
                  return method.invoke(twilio, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  @LocalServerPort int port;
  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;
  @Autowired CallCapacity capacity;
  @Autowired CallControl control;
  @Autowired CallReconciler reconciler;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;
  @Autowired io.parley.agents.AgentDirectory agents;

  /** Not overloaded unless a test says so (the real loops' lag on a shared machine is chance). */
  @MockitoBean MediaLoad load;

  private final HttpClient http = HttpClient.newHttpClient();
  private Accounts accounts;
  private Accounts.Session operator;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
    operator = accounts.user(Role.OPERATOR);
    PromptRows.insert(
        dataSource, PROMPT, "Reminders", "Remind {{first_name}} of the visit.", operator.userId());
    JdbcClient.create(dataSource)
        .sql("UPDATE prompt_version SET variables = ? WHERE prompt_id = ?")
        .params("[{\"name\": \"first_name\", \"required\": true}]", PROMPT)
        .update();
  }

  /** Ends what a test left ringing or talking, so its callbacks do not reach the next test. */
  @AfterEach
  void endCalls() throws Exception {
    SIM.faults().clear();
    io.parley.support.SimCallsEnded.await(SIM, control, meters);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  private HttpResponse<String> send(String path, String json, Accounts.Session who, String key)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Content-Type", "application/json")
            .header("Authorization", who.authorization())
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> dial(String body, String key) throws Exception {
    return send("/api/calls", body, operator, key);
  }

  private static JsonNode json(HttpResponse<String> response) {
    return MAPPER.readTree(response.body());
  }

  /** An agent with a number, synced with the simulator so no sync traffic overlaps a test. */
  private String createAgent(String number, String extra) throws Exception {
    String body =
        """
        {"name": "Reminders", "promptId": "%s", "greeting": "Hello!",
         "voice": {"provider": "elevenlabs", "voiceId": "v1"},
         "llm": {"model": "grok-3-mini"}%s%s}
        """
            .formatted(
                PROMPT,
                number == null ? "" : ", \"twilioNumber\": \"" + number + "\"",
                extra == null ? "" : ", " + extra);
    AgentRequests agents = new AgentRequests(mvc, operator.bearer());
    String id = agents.create(body).get("id").asString();
    if (number != null) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agents.numberSync(id).equals("synced"));
    }
    return id;
  }

  /** An IANA zone where it is now about {@code hour} o'clock, so the window check is stable. */
  private static String zoneAt(int hour) {
    int utc = Instant.now().atZone(ZoneOffset.UTC).getHour();
    int offset = Math.floorMod(hour - utc + 12, 24) - 12;
    if (offset == 0) {
      return "Etc/GMT";
    }
    // Etc/GMT zones have the POSIX sign: Etc/GMT-3 is three hours ahead of UTC.
    return offset > 0 ? "Etc/GMT-" + offset : "Etc/GMT+" + (-offset);
  }

  private static final String DAY = zoneAt(13);

  private static String request(String agentId, String to, String zone) {
    return """
        {"agentId": "%s", "to": "%s", "variables": {"first_name": "Priya"}%s}
        """
        .formatted(agentId, to, zone == null ? "" : ", \"timeZone\": \"" + zone + "\"");
  }

  private CallRecord record(UUID id) {
    return records.find(id).orElseThrow();
  }

  private long rows() {
    return JdbcClient.create(dataSource)
        .sql("SELECT COUNT(*) FROM call_record")
        .query(Long.class)
        .single();
  }

  private static List<SimCall> simCallsFor(UUID callId) {
    return SIM.twilio().calls().stream()
        .filter(c -> c.createParams().get("Url") != null)
        .filter(c -> c.createParams().get("Url").contains("?call=" + callId))
        .toList();
  }

  private void age(UUID callId, Duration by) {
    JdbcClient.create(dataSource)
        .sql("UPDATE call_record SET created_at = ? WHERE id = ?")
        .params(Timestamp.from(Instant.now().minus(by)), callId)
        .update();
  }

  // ---- dialling -----------------------------------------------------------------------------

  @Test
  void aCallIsWrittenThenDialledWithEveryParameter() throws Exception {
    int placesBefore = capacity.active();
    long h2cRefusedBefore = SIM.connections().h2cRefused();
    String agent =
        createAgent(
            AGENT_NUMBER,
            """
            "maxCallDurationSeconds": 120,
            "amd": {"mode": "detect_message_end", "async": true, "timeoutSeconds": 20}
            """);

    HttpResponse<String> response =
        dial(
            """
            {"agentId": "%s", "to": "%s", "variables": {"first_name": "Priya"},
             "timeZone": "%s", "ringTimeoutSeconds": 20}
            """
                .formatted(agent, PERSON, DAY),
            "lead-1");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode call = json(response);
    UUID id = UUID.fromString(call.get("id").asString());
    assertThat(response.headers().firstValue("Location")).contains("/api/calls/" + id);
    assertThat(call.get("direction").asString()).isEqualTo("outbound");
    assertThat(call.get("from").asString()).isEqualTo(AGENT_NUMBER);
    assertThat(call.get("to").asString()).isEqualTo(PERSON);
    assertThat(call.get("promptVersion").asInt()).isEqualTo(1);
    assertThat(call.get("idempotencyKey").asString()).isEqualTo("lead-1");
    String sid = call.get("twilioCallSid").asString();
    assertThat(sid).startsWith("CA");

    Params sent = SIM.twilio().call(sid).createParams();
    assertThat(sent.get("To")).isEqualTo(PERSON);
    assertThat(sent.get("From")).isEqualTo(AGENT_NUMBER);
    // The agent detects machines asynchronously (its default), so the agent waits for the verdict.
    assertThat(sent.get("Url")).isEqualTo(base() + "/twilio/voice?call=" + id + "&amd=async");
    assertThat(sent.get("Method")).isEqualTo("POST");
    assertThat(sent.get("StatusCallback")).isEqualTo(base() + "/twilio/status?call=" + id);
    assertThat(sent.get("StatusCallbackMethod")).isEqualTo("POST");
    assertThat(sent.all("StatusCallbackEvent"))
        .containsExactlyInAnyOrder("initiated", "ringing", "answered", "completed");
    assertThat(sent.get("Timeout")).isEqualTo("20");
    assertThat(sent.get("TimeLimit")).isEqualTo("120");
    assertThat(sent.get("MachineDetection")).isEqualTo("DetectMessageEnd");
    assertThat(sent.get("AsyncAmd")).isEqualTo("true");
    assertThat(sent.get("AsyncAmdStatusCallback")).isEqualTo(base() + "/twilio/amd");
    assertThat(sent.get("MachineDetectionTimeout")).isEqualTo("20");
    assertThat(sent.get("MachineDetectionSpeechThreshold")).isEqualTo("2400");
    assertThat(sent.get("MachineDetectionSpeechEndThreshold")).isEqualTo("1200");
    assertThat(sent.get("MachineDetectionSilenceTimeout")).isEqualTo("5000");

    CallRecord stored = record(id);
    assertThat(stored.leadVariablesJson()).contains("Priya");
    assertThat(stored.agentSnapshotJson()).contains("Reminders");
    assertThat(stored.createdBy().email()).isEqualTo(operator.email());
    // answered by the simulator, connected through the voice webhook
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> record(id).status() == CallStatus.IN_PROGRESS);
    assertThat(capacity.active()).isGreaterThan(placesBefore);
    control.hangUp(sid);
    await().atMost(Duration.ofSeconds(10)).until(() -> record(id).status() == CallStatus.COMPLETED);
    // the final callback gives the place back
    await().atMost(Duration.ofSeconds(5)).until(() -> capacity.active() <= placesBefore);
    // the simulator refuses h2c upgrade offers as a Node server with a WebSocket handler does:
    // the number sync and the dial went through because Parley speaks plain HTTP/1.1
    assertThat(SIM.config().http().refuseH2c()).isTrue();
    assertThat(SIM.connections().h2cRefused()).isEqualTo(h2cRefusedBefore);
  }

  @Test
  void amdOffLeavesDetectionOutAndTheRequestCanTurnItOn() throws Exception {
    String agent = createAgent(AGENT_NUMBER, "\"amd\": {\"mode\": \"off\"}");

    JsonNode off = json(dial(request(agent, PERSON, DAY), null));
    Params plain = SIM.twilio().call(off.get("twilioCallSid").asString()).createParams();
    assertThat(plain.has("MachineDetection")).isFalse();
    assertThat(plain.has("AsyncAmd")).isFalse();
    assertThat(plain.get("Timeout")).isEqualTo("30");

    JsonNode on =
        json(
            dial(
                """
                {"agentId": "%s", "to": "%s", "variables": {"first_name": "A"},
                 "timeZone": "%s", "amd": {"mode": "enable", "async": false}}
                """
                    .formatted(agent, PERSON, DAY),
                null));
    Params sync = SIM.twilio().call(on.get("twilioCallSid").asString()).createParams();
    assertThat(sync.get("MachineDetection")).isEqualTo("Enable");
    assertThat(sync.has("AsyncAmd")).isFalse();
    assertThat(sync.has("AsyncAmdStatusCallback")).isFalse();
    for (JsonNode call : List.of(off, on)) {
      control.hangUp(call.get("twilioCallSid").asString());
    }
  }

  @Test
  void theRowExistsBeforeTwilioIsAskedAndAFailedDialIsClosed() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);
    int placesBefore = capacity.active();
    SIM.faults().next(Faults.Target.TWILIO, 1, new Fault.ErrorStatus(500, Duration.ZERO));

    HttpResponse<String> response = dial(request(agent, PERSON, DAY), null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    UUID id = UUID.fromString(json(response).get("callId").asString());
    CallRecord failed = record(id);
    assertThat(failed.twilioCallSid()).isNull();
    assertThat(failed.status()).isEqualTo(CallStatus.FAILED);
    assertThat(failed.outcome()).isEqualTo(CallOutcome.FAILED);
    assertThat(failed.outcomeReason()).startsWith("Twilio: ");
    assertThat(capacity.active()).isLessThanOrEqualTo(placesBefore);
    assertThat(simCallsFor(id)).isEmpty();
  }

  @Test
  void aNumberTwilioRefusesIs422AndTheAttemptIsClosed() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);

    HttpResponse<String> response = dial(request(agent, REFUSED, DAY), null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    JsonNode problem = json(response);
    assertThat(problem.path("errors").path("to").asString()).contains("21211");
    CallRecord failed = record(UUID.fromString(problem.get("callId").asString()));
    assertThat(failed.status()).isEqualTo(CallStatus.FAILED);
    assertThat(failed.outcome()).isEqualTo(CallOutcome.FAILED);
    assertThat(failed.outcomeReason()).contains("21211");
  }

  @Test
  void aRepeatedIdempotencyKeyDialsOnce() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);

    HttpResponse<String> first = dial(request(agent, PERSON, DAY), "lead-42");
    HttpResponse<String> again = dial(request(agent, PERSON, DAY), "lead-42");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    String id = json(first).get("id").asString();
    assertThat(json(again).get("id").asString()).isEqualTo(id);
    assertThat(again.headers().firstValue("Location")).contains("/api/calls/" + id);
    assertThat(simCallsFor(UUID.fromString(id))).hasSize(1);
    assertThat(rows()).isEqualTo(1);

    // a retry is answered before the checks run again: even a full node returns the call
    List<UUID> held = fillCapacity();
    try {
      HttpResponse<String> atCap = dial(request(agent, PERSON, DAY), "lead-42");
      assertThat(atCap.statusCode()).isEqualTo(200);
      assertThat(json(atCap).get("id").asString()).isEqualTo(id);
    } finally {
      held.forEach(capacity::release);
    }
    // the same key for another callee is a conflict
    assertThat(dial(request(agent, BUSY, DAY), "lead-42").statusCode()).isEqualTo(409);
    assertThat(simCallsFor(UUID.fromString(id))).hasSize(1);
    assertThat(rows()).isEqualTo(1);
  }

  private List<UUID> fillCapacity() {
    List<UUID> held = new ArrayList<>();
    while (capacity.active() < capacity.limit()) {
      UUID place = UUID.randomUUID();
      capacity.tryAcquire(place);
      held.add(place);
    }
    return held;
  }

  // ---- refusals -----------------------------------------------------------------------------

  @Test
  void aNumberOnTheDoNotCallListIsRefusedWith409() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);
    mvc.perform(
        post("/api/dnc")
            .with(operator.bearer())
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"phoneNumber\": \"" + PERSON + "\"}"));

    HttpResponse<String> response = dial(request(agent, PERSON, DAY), null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    assertThat(json(response).get("detail").asString()).contains("do-not-call");
    assertThat(rows()).isZero();
  }

  @Test
  void outsideTheCallingWindowIsRefusedWithTheNextAllowedTime() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);

    HttpResponse<String> response = dial(request(agent, PERSON, zoneAt(3)), null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    JsonNode problem = json(response);
    assertThat(problem.path("errors").path("to").asString()).contains("outside the calling window");
    assertThat(Instant.parse(problem.get("nextAllowedAt").asString())).isAfter(Instant.now());
    assertThat(rows()).isZero();
  }

  @Test
  void aTimeZoneInTheRequestCannotWidenTheWindowOfTheNumbersOwn() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);

    // It is night where the number is; the request claims a zone where it is the afternoon.
    HttpResponse<String> response = dial(request(agent, Callees.atNight(55), DAY), null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    JsonNode decision = json(response).path("callingWindow");
    assertThat(decision.path("zoneSource").asString()).isEqualTo("phone_number_and_request");
    assertThat(decision.path("zonesChecked")).hasSize(2);
    assertThat(rows()).isZero();
  }

  @Test
  void aNumberWithoutAKnownZoneNeedsTheTimeZone() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);

    HttpResponse<String> unknown = dial(request(agent, FREEPHONE, null), null);
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(422);
    assertThat(json(unknown).path("errors").path("timeZone").asString()).contains("zone unknown");
    assertThat(rows()).isZero();

    HttpResponse<String> named = dial(request(agent, FREEPHONE, DAY), null);
    assertThat(named.statusCode()).as(named.body()).isEqualTo(201);
    control.hangUp(json(named).get("twilioCallSid").asString());
  }

  @Test
  void aMissingPromptVariableIsNamed() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);

    HttpResponse<String> response =
        dial(
            """
            {"agentId": "%s", "to": "%s", "timeZone": "%s"}
            """
                .formatted(agent, PERSON, DAY),
            null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(json(response).path("errors").has("variables.first_name")).isTrue();
    assertThat(rows()).isZero();
  }

  @Test
  void atTheCapTheDialIsRefusedWith429AndRetryAfter() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);
    List<UUID> held = fillCapacity();
    try {

      HttpResponse<String> response = dial(request(agent, PERSON, DAY), null);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
      assertThat(response.headers().firstValue("Retry-After")).contains("30");
      assertThat(rows()).isZero();
    } finally {
      held.forEach(capacity::release);
    }
  }

  @Test
  void anOverloadedNodeRefusesTheDialWith429AndAShortRetryAfter() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);
    int places = capacity.active();
    double refusedBefore = refused("overloaded");
    int dialledBefore = SIM.twilio().calls().size();
    given(load.overloaded()).willReturn(true);

    HttpResponse<String> response = dial(request(agent, PERSON, DAY), null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(response.headers().firstValue("Retry-After")).contains("5");
    JsonNode problem = json(response);
    assertThat(problem.get("title").asString()).isEqualTo("Server overloaded");
    assertThat(problem.get("retryAfterSeconds").asInt()).isEqualTo(5);
    assertThat(rows()).isZero();
    assertThat(capacity.active()).isEqualTo(places);
    assertThat(refused("overloaded")).isEqualTo(refusedBefore + 1);
    assertThat(SIM.twilio().calls()).as("Twilio was not asked").hasSize(dialledBefore);

    // Recovered: the same dial goes through.
    given(load.overloaded()).willReturn(false);
    assertThat(dial(request(agent, PERSON, DAY), null).statusCode()).isEqualTo(201);
  }

  private double refused(String reason) {
    return meters
        .get("parley.calls.refused")
        .tag("direction", "outbound")
        .tag("reason", reason)
        .counter()
        .count();
  }

  @Test
  void badRequestsAreNamedField() throws Exception {
    String noNumber = createAgent(null, null);

    JsonNode bad =
        json(
            dial(
                """
                {"to": "555-0123", "ringTimeoutSeconds": 5, "colour": "red",
                 "amd": {"mode": "sometimes"}, "variables": {"x": {"y": 1}}}
                """,
                null));
    assertThat(bad.get("status").asInt()).isEqualTo(422);
    assertThat(bad.path("errors").propertyNames())
        .contains("agentId", "to", "ringTimeoutSeconds", "colour", "amd.mode", "variables.x");

    HttpResponse<String> unknownAgent =
        dial(request(UUID.randomUUID().toString(), PERSON, DAY), null);
    assertThat(unknownAgent.statusCode()).isEqualTo(422);
    assertThat(json(unknownAgent).path("errors").has("agentId")).isTrue();

    HttpResponse<String> withoutNumber = dial(request(noNumber, PERSON, DAY), null);
    assertThat(withoutNumber.statusCode()).isEqualTo(422);
    assertThat(json(withoutNumber).path("errors").path("agentId").asString())
        .startsWith("has no number");

    // A NUL in a lead's value would reach the call's record (PostgreSQL cannot store it).
    String agent = createAgent(AGENT_NUMBER, null);
    HttpResponse<String> nul =
        dial(
            """
            {"agentId": "%s", "to": "%s", "timeZone": "%s", "variables": {"first_name": "A\\u0000"}}
            """
                .formatted(agent, PERSON, DAY),
            null);
    assertThat(nul.statusCode()).as(nul.body()).isEqualTo(422);
    assertThat(json(nul).path("errors").path("variables.first_name").asString())
        .isEqualTo("must not contain NUL characters");
    assertThat(rows()).isZero();
  }

  @Test
  void viewersCannotDialOrHangUp() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);
    Accounts.Session viewer = accounts.user(Role.VIEWER);

    assertThat(send("/api/calls", request(agent, PERSON, DAY), viewer, null).statusCode())
        .isEqualTo(403);
    assertThat(send("/api/calls/" + UUID.randomUUID() + "/hangup", "", viewer, null).statusCode())
        .isEqualTo(403);
    assertThat(rows()).isZero();
  }

  // ---- hang-up ------------------------------------------------------------------------------

  @Test
  void anOperatorHangsUpALiveCall() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);
    JsonNode call = json(dial(request(agent, PERSON, DAY), null));
    UUID id = UUID.fromString(call.get("id").asString());
    String sid = call.get("twilioCallSid").asString();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> record(id).status() == CallStatus.IN_PROGRESS);

    HttpResponse<String> response = send("/api/calls/" + id + "/hangup", "", operator, null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).get("outcome").asString()).isEqualTo("completed");
    assertThat(json(response).get("outcomeReason").asString())
        .isEqualTo("hung up by " + operator.email());
    SimCall atCarrier = SIM.twilio().call(sid);
    assertThat(atCarrier.awaitEnd(Duration.ofSeconds(5))).isTrue();
    assertThat(atCarrier.status()).isEqualTo("completed");
    await().atMost(Duration.ofSeconds(10)).until(() -> record(id).status() == CallStatus.COMPLETED);

    assertThat(send("/api/calls/" + id + "/hangup", "", operator, null).statusCode())
        .isEqualTo(409);
    assertThat(send("/api/calls/" + UUID.randomUUID() + "/hangup", "", operator, null).statusCode())
        .isEqualTo(404);
  }

  // ---- carrier results ----------------------------------------------------------------------

  @Test
  void busyAndUnansweredCallsAreDisposedFromTheStatusCallback() throws Exception {
    String agent = createAgent(AGENT_NUMBER, null);
    int placesBefore = capacity.active();
    UUID busy = UUID.fromString(json(dial(request(agent, BUSY, DAY), null)).get("id").asString());
    UUID unanswered =
        UUID.fromString(
            json(dial(
                    """
                        {"agentId": "%s", "to": "%s", "variables": {"first_name": "B"},
                         "timeZone": "%s", "ringTimeoutSeconds": 15}
                        """
                        .formatted(agent, NO_ANSWER, DAY),
                    null))
                .get("id")
                .asString());

    await().atMost(Duration.ofSeconds(10)).until(() -> record(busy).status() == CallStatus.BUSY);
    assertThat(record(busy).outcome()).isEqualTo(CallOutcome.BUSY);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> record(unanswered).status() == CallStatus.NO_ANSWER);
    assertThat(record(unanswered).outcome()).isEqualTo(CallOutcome.NO_ANSWER);
    await().atMost(Duration.ofSeconds(5)).until(() -> capacity.active() <= placesBefore);
  }

  // ---- reconciliation -----------------------------------------------------------------------

  private UUID attempt(String to, String sid) {
    return records
        .create(
            NewCall.builder(CallDirection.OUTBOUND, AGENT_NUMBER, to)
                .organisation(Organisations.DEFAULT_ID)
                .callSid(sid)
                .build())
        .id();
  }

  @Test
  void reconciliationClosesWhatARestartLeftOpen() throws Exception {
    reconciler.awaitStartupRun();
    // 1. written, never dialled: Twilio has no call to this number around the attempt
    UUID neverDialled = attempt(NEVER_CALLED, null);
    age(neverDialled, Duration.ofMinutes(5));
    // 2. a fresh row without a sid may still be dialling: left alone
    UUID fresh = attempt(PERSON, null);
    // 3. dialled and over at Twilio, but its callbacks never arrived (they went nowhere)
    String endedSid =
        control.dial(
            new OutboundDial(
                UUID.randomUUID(),
                PERSON,
                AGENT_NUMBER,
                URI.create("http://127.0.0.1:9"),
                15,
                60,
                null));
    assertThat(SIM.twilio().call(endedSid).awaitEnd(Duration.ofSeconds(10))).isTrue();
    UUID ended = attempt(PERSON, endedSid);
    age(ended, Duration.ofMinutes(5));
    // 4. live at Twilio, answered before this process started: nobody talks to the callee. It
    //    has an agent, so the stream it opens holds a real (silent) conversation until hung up.
    String agentId = createAgent(AGENT_NUMBER, null);
    io.parley.agents.AgentSnapshot agent =
        agents.snapshot(Organisations.DEFAULT_ID, UUID.fromString(agentId)).orElseThrow();
    UUID orphan =
        records
            .create(
                NewCall.builder(CallDirection.OUTBOUND, AGENT_NUMBER, PERSON)
                    .organisation(Organisations.DEFAULT_ID)
                    .agent(agent.agentId(), agent.configJson())
                    .prompt(PROMPT, 1)
                    .leadVariables("{\"first_name\": \"Priya\"}")
                    .build())
            .id();
    String orphanSid =
        control.dial(
            new OutboundDial(orphan, PERSON, AGENT_NUMBER, URI.create(base()), 15, 60, null));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> record(orphan).status() == CallStatus.IN_PROGRESS);
    assertThat(record(orphan).twilioCallSid()).isEqualTo(orphanSid);
    age(orphan, Duration.ofMinutes(5));
    JdbcClient.create(dataSource)
        .sql("UPDATE call_record SET answered_at = ? WHERE id = ?")
        .params(Timestamp.from(Instant.now().minus(Duration.ofHours(1))), orphan)
        .update();

    CallReconciler.Report report = reconciler.run();

    assertThat(report.neverDialled()).isEqualTo(1);
    assertThat(report.orphaned()).isEqualTo(1);
    CallRecord failed = record(neverDialled);
    assertThat(failed.status()).isEqualTo(CallStatus.FAILED);
    assertThat(failed.outcome()).isEqualTo(CallOutcome.FAILED);
    assertThat(failed.outcomeReason()).isEqualTo(CallReconciler.NEVER_DIALLED);
    assertThat(record(fresh).status()).isEqualTo(CallStatus.QUEUED);
    assertThat(record(ended).status()).isEqualTo(CallStatus.COMPLETED);
    assertThat(record(ended).durationSeconds()).isNotNull();
    assertThat(SIM.twilio().call(orphanSid).awaitEnd(Duration.ofSeconds(5))).isTrue();
    assertThat(record(orphan).outcome()).isEqualTo(CallOutcome.SYSTEM_ERROR);
    assertThat(record(orphan).outcomeReason()).isEqualTo(CallReconciler.ORPHANED);
  }
}
