package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.NewCall;
import io.parley.shared.Organisations;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.http.Params;
import io.parley.sim.twilio.SimCall;
import io.parley.sim.twilio.TwilioConfig;
import io.parley.sim.twilio.TwilioSignature;
import io.parley.sim.twilio.Webhooks;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import io.parley.telephony.CallControl.Instructions;
import io.parley.telephony.CallControlException.Reason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Twilio edge against the Twilio simulator: Parley listens on a real port, the simulator places
 * calls and sends its signed webhooks there, and Parley's call control talks to the simulator's
 * REST API.
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class TwilioEdgeTest {

  private static final String AGENT_NUMBER = "+14155550123";
  private static final String FOREIGN_NUMBER = "+14155550124";
  private static final String PERSON = "+14155550188";
  private static final String MACHINE = "+14155550199";
  private static final UUID PROMPT = UUID.fromString("11111111-1111-1111-1111-111111111111");
  private static final UUID USER = UUID.fromString("33333333-3333-3333-3333-333333333333");
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
                              MACHINE,
                              TwilioConfig.Destination.machine(
                                  "machine_start", Duration.ofMillis(1500))))));

  @DynamicPropertySource
  static void twilio(DynamicPropertyRegistry registry) {
    io.parley.support.SimProviders.twilio(registry, SIM);
  }

  @LocalServerPort int port;
  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;
  @Autowired CallControl control;
  @Autowired io.parley.providers.OutboundHttp outbound;

  private final HttpClient http = HttpClient.newHttpClient();
  private TwilioRestClient twilio;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    twilio =
        new TwilioRestClient.Builder(SIM.twilio().accountSid(), SIM.twilio().authToken())
            .httpClient(new BaseUrlHttpClient(SIM.twilioApiUrl(), outbound))
            .build();
  }

  @AfterEach
  void clearFaults() {
    SIM.faults().clear();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private HttpResponse<String> webhook(String path, Map<String, String> params, String signature)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(Params.of(params).encode()));
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String sign(String path, Map<String, String> params) {
    return TwilioSignature.sign(SIM.twilio().authToken(), url(path), Params.of(params));
  }

  /** Dials through the simulator as Parley's outbound calls will, and records the attempt. */
  private CallRecord dial(String to, String twiml, Map<String, String> amd) {
    var creator =
        Call.creator(new PhoneNumber(to), new PhoneNumber(AGENT_NUMBER), new Twiml(twiml))
            .setStatusCallback(url(PublicUrls.STATUS))
            .setStatusCallbackEvent(List.of("initiated", "ringing", "answered", "completed"));
    if (!amd.isEmpty()) {
      creator
          .setMachineDetection(amd.get("MachineDetection"))
          .setAsyncAmd("true")
          .setAsyncAmdStatusCallback(url(PublicUrls.AMD));
    }
    String sid = creator.create(twilio).getSid();
    UUID id =
        records
            .create(
                NewCall.builder(CallDirection.OUTBOUND, AGENT_NUMBER, to)
                    .organisation(Organisations.DEFAULT_ID)
                    .callSid(sid)
                    .build())
            .id();
    return records.find(id).orElseThrow();
  }

  private CallRecord reload(CallRecord call) {
    return records.find(call.id()).orElseThrow();
  }

  private static List<Webhooks.Delivery> deliveries(String path, String callSid) {
    return SIM.twilio().webhooks().log().stream()
        .filter(d -> d.url().endsWith(path) && callSid.equals(d.params().get("CallSid")))
        .toList();
  }

  // ---- signatures --------------------------------------------------------------------------

  @Test
  void aCorrectlySignedWebhookIsAcceptedAndAnUnknownCallChangesNothing() throws Exception {
    Map<String, String> params =
        Map.of("CallSid", "CA" + "0".repeat(32), "CallStatus", "completed", "CallDuration", "3");

    HttpResponse<String> response =
        webhook(PublicUrls.STATUS, params, sign(PublicUrls.STATUS, params));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(records.findByCallSid("CA" + "0".repeat(32))).isEmpty();
  }

  @Test
  void aForgedOrMissingSignatureIsRefusedWith403() throws Exception {
    Map<String, String> params = Map.of("CallSid", "CA1", "CallStatus", "completed");
    String forged = sign(PublicUrls.STATUS, Map.of("CallSid", "CA1", "CallStatus", "ringing"));

    for (String signature : new String[] {forged, "bm90IGEgc2lnbmF0dXJl", null}) {
      HttpResponse<String> response = webhook(PublicUrls.STATUS, params, signature);
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      JsonNode problem = MAPPER.readTree(response.body());
      assertThat(problem.get("status").asInt()).isEqualTo(403);
      assertThat(problem.get("detail").asString()).contains("X-Twilio-Signature");
    }
    // a signature for another endpoint does not open this one
    assertThat(webhook(PublicUrls.AMD, params, sign(PublicUrls.STATUS, params)).statusCode())
        .isEqualTo(403);
  }

  @Test
  void aWebhookWithoutItsCallSidIsNamedIn422() throws Exception {
    Map<String, String> params = Map.of("CallStatus", "completed");
    HttpResponse<String> response =
        webhook(PublicUrls.STATUS, params, sign(PublicUrls.STATUS, params));
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(MAPPER.readTree(response.body()).path("errors").has("CallSid")).isTrue();
  }

  @Test
  void aNulCharacterInASignedValueIs422NamingTheParameter() throws Exception {
    Map<String, String> inbound = new java.util.LinkedHashMap<>();
    inbound.put("CallSid", "CA" + "1".repeat(32));
    inbound.put("From", "+14155550177\0");
    inbound.put("To", "+14155550999\0");
    HttpResponse<String> voice =
        webhook(PublicUrls.VOICE, inbound, sign(PublicUrls.VOICE, inbound));
    assertThat(voice.statusCode()).as(voice.body()).isEqualTo(422);
    assertThat(MAPPER.readTree(voice.body()).path("errors").propertyNames())
        .containsExactlyInAnyOrder("From", "To");
    assertThat(records.findByCallSid("CA" + "1".repeat(32))).isEmpty();

    CallRecord call = dial(PERSON, "<Response><Pause length=\"1\"/></Response>", Map.of());
    Map<String, String> recording =
        Map.of(
            "CallSid",
            call.twilioCallSid(),
            "RecordingSid",
            "RE" + "2".repeat(32),
            "RecordingStatus",
            "completed",
            "RecordingUrl",
            "https://api.twilio.com/rec\0",
            "RecordingDuration",
            "3");
    HttpResponse<String> stored =
        webhook(PublicUrls.RECORDING, recording, sign(PublicUrls.RECORDING, recording));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(422);
    assertThat(MAPPER.readTree(stored.body()).path("errors").path("RecordingUrl").asString())
        .isEqualTo("must not contain NUL characters");
  }

  @Test
  void aCalledNumberThatIsNotAPhoneNumberFindsNoAgent() throws Exception {
    // Text outside ASCII: MariaDB could not compare it with the agents' number column (500).
    for (String to : List.of("+1415555😀", "+14155550123 ", "नमस्ते", "client:desk")) {
      Map<String, String> inbound =
          Map.of(
              "CallSid",
              "CA" + UUID.randomUUID().toString().replace("-", ""),
              "From",
              "+14155550177",
              "To",
              to);
      HttpResponse<String> voice =
          webhook(PublicUrls.VOICE, inbound, sign(PublicUrls.VOICE, inbound));
      assertThat(voice.statusCode()).as(to + ": " + voice.body()).isEqualTo(200);
      assertThat(voice.body()).as(to).contains("not in service");
    }
  }

  @Test
  void lineBreaksInSignedValuesCannotForgeLogLines(CapturedOutput output) throws Exception {
    String forged = "\r\n2026-12-06T12:00:00.000Z ERROR 1 --- [main] FORGED: admin password reset";
    Map<String, String> status = Map.of("CallSid", "CA" + "3".repeat(32), "CallStatus", forged);
    Map<String, String> recording =
        Map.of("CallSid", "CA" + "3".repeat(32), "RecordingStatus", "in-progress" + forged);
    Map<String, String> fallback =
        Map.of("CallSid", "CA9" + forged, "ErrorCode", "11200" + forged, "ErrorUrl", forged);

    assertThat(webhook(PublicUrls.STATUS, status, sign(PublicUrls.STATUS, status)).statusCode())
        .isEqualTo(200);
    assertThat(
            webhook(PublicUrls.RECORDING, recording, sign(PublicUrls.RECORDING, recording))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            webhook(PublicUrls.FALLBACK, fallback, sign(PublicUrls.FALLBACK, fallback))
                .statusCode())
        .isEqualTo(200);

    assertThat(output.getOut()).contains("FORGED");
    assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith("2026-12-06T12:00:00"));
  }

  @Test
  void theFallbackApologisesInTwiml() throws Exception {
    Map<String, String> params = Map.of("CallSid", "CA9", "ErrorCode", "11200");
    HttpResponse<String> response =
        webhook(PublicUrls.FALLBACK, params, sign(PublicUrls.FALLBACK, params));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("<Say>").contains("<Hangup/>");
  }

  // ---- call callbacks ----------------------------------------------------------------------

  @Test
  void shuffledAndDuplicatedStatusCallbacksLeaveOneCorrectRecord() throws Exception {
    SIM.faults().set(Faults.Target.TWILIO, new Fault.OutOfOrderCallbacks());
    SIM.faults().set(Faults.Target.TWILIO, new Fault.DuplicateCallbacks());
    CallRecord call = dial(PERSON, "<Response><Pause length=\"1\"/></Response>", Map.of());

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> deliveries(PublicUrls.STATUS, call.twilioCallSid()).size() == 8);
    List<Webhooks.Delivery> delivered = deliveries(PublicUrls.STATUS, call.twilioCallSid());
    assertThat(delivered).allSatisfy(d -> assertThat(d.status()).isEqualTo(200));
    // newest first, each twice: the record must not move backwards
    assertThat(delivered.getFirst().params().get("CallStatus")).isEqualTo("completed");
    assertThat(delivered.getLast().params().get("CallStatus")).isEqualTo("initiated");

    CallRecord done = reload(call);
    assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
    assertThat(done.startedAt()).isNotNull();
    assertThat(done.answeredAt()).isNotNull();
    assertThat(done.endedAt()).isNotNull();
    assertThat(done.durationSeconds()).isNotNull();
    assertThat(done.outcome()).isNull();
    assertThat(
            JdbcClient.create(dataSource)
                .sql("SELECT COUNT(*) FROM call_record")
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void statusCallbacksInAnyOrderEndInTheSameRecord() throws Exception {
    Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
    String[][] reports = {
      {"initiated", "0"}, {"ringing", "1"}, {"in-progress", "4"}, {"completed", "11"}
    };
    for (long seed = 1; seed <= 3; seed++) {
      String sid = "CA" + UUID.randomUUID().toString().replace("-", "");
      UUID id =
          records
              .create(
                  NewCall.builder(CallDirection.OUTBOUND, AGENT_NUMBER, PERSON)
                      .organisation(Organisations.DEFAULT_ID)
                      .callSid(sid)
                      .build())
              .id();
      List<Map<String, String>> callbacks = new ArrayList<>();
      for (String[] report : reports) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", sid);
        params.put("CallStatus", report[0]);
        params.put(
            "Timestamp",
            DateTimeFormatter.RFC_1123_DATE_TIME.format(
                t0.plusSeconds(Long.parseLong(report[1])).atZone(ZoneOffset.UTC)));
        if (report[0].equals("completed")) {
          params.put("CallDuration", "7");
        }
        callbacks.add(params);
        callbacks.add(params);
      }
      Collections.shuffle(callbacks, new Random(seed));
      for (Map<String, String> params : callbacks) {
        assertThat(webhook(PublicUrls.STATUS, params, sign(PublicUrls.STATUS, params)).statusCode())
            .isEqualTo(200);
      }
      CallRecord done = records.find(id).orElseThrow();
      assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
      assertThat(done.startedAt()).isEqualTo(t0);
      assertThat(done.answeredAt()).isEqualTo(t0.plusSeconds(4));
      assertThat(done.endedAt()).isEqualTo(t0.plusSeconds(11));
      assertThat(done.durationSeconds()).isEqualTo(7);
    }
  }

  @Test
  void aMachineIsHungUpOnAndTheCallGetsTheMachineOutcome() throws Exception {
    CallRecord call =
        dial(
            MACHINE,
            "<Response><Pause length=\"30\"/></Response>",
            Map.of("MachineDetection", "Enable"));

    SimCall atCarrier = SIM.twilio().call(call.twilioCallSid());
    assertThat(atCarrier.awaitEnd(Duration.ofSeconds(10)))
        .as("the call was hung up long before its 30 s pause ended")
        .isTrue();
    assertThat(atCarrier.status()).isEqualTo("completed");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> reload(call).status() == CallStatus.COMPLETED);
    CallRecord done = reload(call);
    assertThat(done.answeredBy()).isEqualTo("machine_start");
    assertThat(done.outcome()).isEqualTo(CallOutcome.MACHINE);
    assertThat(deliveries(PublicUrls.AMD, call.twilioCallSid()))
        .singleElement()
        .satisfies(d -> assertThat(d.status()).isEqualTo(200));
  }

  @Test
  void aPersonIsNotHungUpOn() throws Exception {
    CallRecord call =
        dial(
            PERSON,
            "<Response><Pause length=\"2\"/></Response>",
            Map.of("MachineDetection", "Enable"));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !deliveries(PublicUrls.AMD, call.twilioCallSid()).isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reload(call).status() == CallStatus.COMPLETED);
    CallRecord done = reload(call);
    assertThat(done.answeredBy()).isEqualTo("human");
    assertThat(done.outcome()).isNull();
    assertThat(done.durationSeconds()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aRecordingStartedThroughCallControlIsStoredFromItsCallback() throws Exception {
    CallRecord call = dial(PERSON, "<Response><Pause length=\"2\"/></Response>", Map.of());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> reload(call).status() == CallStatus.IN_PROGRESS);

    String recordingSid =
        control.startRecording(call.twilioCallSid(), URI.create(url(PublicUrls.RECORDING)), "mono");

    await().atMost(Duration.ofSeconds(10)).until(() -> reload(call).recording() != null);
    CallRecord done = reload(call);
    assertThat(done.recording().sid()).isEqualTo(recordingSid);
    assertThat(done.recording().url()).contains("/Recordings/" + recordingSid);
    assertThat(done.recording().durationSeconds()).isNotNull();
  }

  @Test
  void aRecordingHasTheChannelsAskedFor() throws Exception {
    CallRecord mono = dial(PERSON, "<Response><Pause length=\"2\"/></Response>", Map.of());
    CallRecord dual = dial(PERSON, "<Response><Pause length=\"2\"/></Response>", Map.of());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                reload(mono).status() == CallStatus.IN_PROGRESS
                    && reload(dual).status() == CallStatus.IN_PROGRESS);
    URI callback = URI.create(url(PublicUrls.RECORDING));

    String monoSid = control.startRecording(mono.twilioCallSid(), callback, "mono");
    String dualSid = control.startRecording(dual.twilioCallSid(), callback, "dual");

    // What Twilio holds, and what it reports when the recording is done.
    assertThat(
            com.twilio.rest.api.v2010.account.Recording.fetcher(monoSid)
                .fetch(twilio)
                .getChannels())
        .isEqualTo(1);
    assertThat(
            com.twilio.rest.api.v2010.account.Recording.fetcher(dualSid)
                .fetch(twilio)
                .getChannels())
        .isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !deliveries(PublicUrls.RECORDING, mono.twilioCallSid()).isEmpty()
                    && !deliveries(PublicUrls.RECORDING, dual.twilioCallSid()).isEmpty());
    assertThat(
            deliveries(PublicUrls.RECORDING, mono.twilioCallSid())
                .getFirst()
                .params()
                .get("RecordingChannels"))
        .isEqualTo("1");
    assertThat(
            deliveries(PublicUrls.RECORDING, dual.twilioCallSid())
                .getFirst()
                .params()
                .get("RecordingChannels"))
        .isEqualTo("2");
    assertThatThrownBy(() -> control.startRecording(dual.twilioCallSid(), callback, "stereo"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- call control ------------------------------------------------------------------------

  @Test
  void callControlRedirectsAndHangsUpLiveCalls() throws Exception {
    CallRecord first = dial(PERSON, "<Response><Pause length=\"30\"/></Response>", Map.of());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "in-progress".equals(SIM.twilio().call(first.twilioCallSid()).status()));
    control.redirect(
        first.twilioCallSid(), new Instructions.Twiml("<Response><Hangup/></Response>"));
    assertThat(SIM.twilio().call(first.twilioCallSid()).awaitEnd(Duration.ofSeconds(5))).isTrue();

    CallRecord second = dial(PERSON, "<Response><Pause length=\"30\"/></Response>", Map.of());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "in-progress".equals(SIM.twilio().call(second.twilioCallSid()).status()));
    control.hangUp(second.twilioCallSid());
    assertThat(SIM.twilio().call(second.twilioCallSid()).awaitEnd(Duration.ofSeconds(5))).isTrue();
    assertThat(SIM.twilio().call(second.twilioCallSid()).status()).isEqualTo("completed");

    assertThatThrownBy(
            () -> control.startRecording(second.twilioCallSid(), URI.create(url("/x")), "mono"))
        .isInstanceOfSatisfying(
            CallControlException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CALL_NOT_IN_PROGRESS));
  }

  @Test
  void twilioErrorsBecomeClearReasons() {
    assertThatThrownBy(() -> control.hangUp("CA" + "f".repeat(32)))
        .isInstanceOfSatisfying(
            CallControlException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
              assertThat(e.twilioCode()).contains(20404);
            });

    SIM.faults().set(Faults.Target.TWILIO, new Fault.ErrorStatus(401, Duration.ZERO));
    assertThatThrownBy(control::listNumbers)
        .isInstanceOfSatisfying(
            CallControlException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION);
              assertThat(e.getMessage()).contains("PARLEY_TWILIO_AUTH_TOKEN");
              assertThat(e.retryable()).isFalse();
            });
    SIM.faults().clear();

    SIM.faults().set(Faults.Target.TWILIO, new Fault.ErrorStatus(429, Duration.ofSeconds(1)));
    assertThatThrownBy(control::listNumbers)
        .isInstanceOfSatisfying(
            CallControlException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
              assertThat(e.retryable()).isTrue();
            });
    SIM.faults().clear();

    // a 5xx is reported, not retried behind the caller's back: the next request would succeed
    SIM.faults().next(Faults.Target.TWILIO, 1, new Fault.ErrorStatus(500, Duration.ZERO));
    assertThatThrownBy(control::listNumbers)
        .isInstanceOfSatisfying(
            CallControlException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
              assertThat(e.retryable()).isTrue();
            });
    assertThat(control.listNumbers())
        .extracting(CallControl.PhoneNumberConfig::phoneNumber)
        .contains(AGENT_NUMBER);
  }

  // ---- number sync -------------------------------------------------------------------------

  private void createPrompt() {
    PromptRows.insert(dataSource, PROMPT, "Reminders", "You remind patients.", USER);
  }

  private String createAgent(String number) throws Exception {
    String body =
        """
        {"name": "Reminders", "promptId": "%s", "greeting": "Hello!",
         "voice": {"provider": "elevenlabs", "voiceId": "v1"},
         "llm": {"model": "grok-3-mini"}, "twilioNumber": "%s"}
        """
            .formatted(PROMPT, number);
    JsonNode created = new AgentRequests(mvc, operator()).create(body);
    assertThat(created.path("status").path("numberSync").asString()).isIn("pending", "synced");
    return created.get("id").asString();
  }

  private String numberSync(String agentId) throws Exception {
    return new AgentRequests(mvc, operator()).numberSync(agentId);
  }

  private static RequestPostProcessor operator() {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_OPERATOR"));
  }

  @Test
  void savingAnAgentPointsItsNumberAtParley() throws Exception {
    createPrompt();
    String agent = createAgent(AGENT_NUMBER);

    await().atMost(Duration.ofSeconds(10)).until(() -> numberSync(agent).equals("synced"));
    CallControl.PhoneNumberConfig number =
        control.listNumbers().stream()
            .filter(n -> n.phoneNumber().equals(AGENT_NUMBER))
            .findFirst()
            .orElseThrow();
    // MockMvc's request URL is http://localhost: without PARLEY_PUBLIC_URL that is the base
    assertThat(number.voiceUrl()).isEqualTo(URI.create("http://localhost/twilio/voice"));
    assertThat(number.statusCallback()).isEqualTo(URI.create("http://localhost/twilio/status"));
    assertThat(number.voiceFallbackUrl()).isEqualTo(URI.create("http://localhost/twilio/fallback"));
    assertThat(number.smsUrl()).isEqualTo(URI.create("http://localhost/twilio/sms"));
  }

  @Test
  void aNumberTheAccountDoesNotHaveIsReportedInTheAgentsStatus() throws Exception {
    createPrompt();
    String agent = createAgent(FOREIGN_NUMBER);

    await().atMost(Duration.ofSeconds(10)).until(() -> numberSync(agent).startsWith("failed: "));
    assertThat(numberSync(agent)).contains(FOREIGN_NUMBER).contains("not a phone number");
  }
}
