package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.NewCall;
import io.parley.media.MediaLoad;
import io.parley.shared.Organisations;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /twilio/voice} on a real port, signed as Twilio signs it, without {@code
 * PARLEY_PUBLIC_URL}: the TwiML a call gets, and the record each answer leaves. Nobody opens the
 * media socket here (see {@link MediaStreamSocketTest}).
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class VoiceWebhookTest {

  static final String AGENT_NUMBER = "+14155550140";
  static final String SPARE_AGENT_NUMBER = "+14155550141";
  static final String UNKNOWN_NUMBER = "+14155550149";
  static final String CALLER = "+14155550177";
  static final UUID PROMPT = UUID.fromString("66666666-6666-6666-6666-666666666666");
  static final UUID USER = UUID.fromString("77777777-7777-7777-7777-777777777777");
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  @AutoClose
  static final Sim SIM =
      Sim.start(
          SimConfig.defaults().withTwilio(SimTwilio.owning(AGENT_NUMBER, SPARE_AGENT_NUMBER)));

  @DynamicPropertySource
  static void providers(DynamicPropertyRegistry registry) {
    io.parley.support.SimProviders.all(registry, SIM);
    // A second model host that agents may name but that has no key on this server.
    registry.add("PARLEY_LLM_SPARE_BASE_URL", () -> SIM.llmBaseUrl().toString());
  }

  @LocalServerPort int port;
  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;
  @Autowired CallCapacity capacity;
  @Autowired MediaServer mediaServer;
  @Autowired io.parley.agents.AgentDirectory agents;
  @Autowired MeterRegistry meters;

  /** Not overloaded unless a test says so (the real loops' lag on a shared machine is chance). */
  @MockitoBean MediaLoad load;

  private TwilioByHand twilio;
  private String agentId;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Front desk", "You answer the phone.", USER);
    agentId = createAgent("Desk", AGENT_NUMBER, "xai");
    String base = "http://127.0.0.1:" + port;
    twilio = new TwilioByHand(base, base, SIM.twilio().authToken());
  }

  // ---- answered ------------------------------------------------------------------------------

  @Test
  void aCallToAnAgentsNumberIsConnectedToTheMediaStreamAndRecorded() throws Exception {
    String callSid = TwilioByHand.callSid();

    HttpResponse<String> response =
        twilio.post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
    TwilioByHand.Answer answer = TwilioByHand.read(response.body());
    assertThat(answer.connects()).as(response.body()).isTrue();
    assertThat(answer.say()).isNull();
    assertThat(answer.streamUrl())
        .isEqualTo(URI.create("ws://127.0.0.1:" + mediaServer.port() + PublicUrls.MEDIA));
    assertThat(answer.parameters()).containsOnlyKeys("token", "callId");
    assertThat(answer.token()).matches("[0-9a-f]{48}");

    CallRecord call = records.findByCallSid(callSid).orElseThrow();
    assertThat(answer.parameters().get("callId")).isEqualTo(call.id().toString());
    assertThat(answer.connectAction())
        .isEqualTo("http://127.0.0.1:" + port + PublicUrls.STREAM_ENDED + "?call=" + call.id());
    assertThat(call.direction()).isEqualTo(CallDirection.INBOUND);
    assertThat(call.agentId()).hasToString(agentId);
    assertThat(call.agentName()).isEqualTo("Desk");
    assertThat(call.promptId()).isEqualTo(PROMPT);
    assertThat(call.promptVersion()).as("the concrete prompt version").isEqualTo(1);
    assertThat(call.fromNumber()).isEqualTo(CALLER);
    assertThat(call.toNumber()).isEqualTo(AGENT_NUMBER);
    assertThat(call.status()).isEqualTo(CallStatus.IN_PROGRESS);
    assertThat(call.outcome()).isNull();
    assertThat(call.agentSnapshotJson()).contains(AGENT_NUMBER);
    capacity.release(call.id());
  }

  @Test
  void twilioRetryingTheWebhookLeavesOneRecord() throws Exception {
    String callSid = TwilioByHand.callSid();
    Map<String, String> params = TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER);

    TwilioByHand.Answer first = TwilioByHand.read(twilio.post(PublicUrls.VOICE, params).body());
    TwilioByHand.Answer second = TwilioByHand.read(twilio.post(PublicUrls.VOICE, params).body());

    assertThat(first.connects()).isTrue();
    assertThat(second.connects()).isTrue();
    assertThat(second.parameters().get("callId")).isEqualTo(first.parameters().get("callId"));
    assertThat(callRows(callSid)).isEqualTo(1);
    capacity.release(UUID.fromString(first.parameters().get("callId")));
  }

  @Test
  void anUnpinnedAgentsCallRecordsThePromptVersionCurrentWhenTheCallCame() throws Exception {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    jdbc.sql(
            """
            INSERT INTO prompt_version (prompt_id, version_number, organisation_id, content,
              variables, author_id, author_email, created_at)
            SELECT prompt_id, 2, organisation_id, 'You answer politely.', variables, author_id,
              author_email, created_at
            FROM prompt_version WHERE prompt_id = ? AND version_number = 1
            """)
        .param(PROMPT)
        .update();
    jdbc.sql("UPDATE prompt SET current_version = 2 WHERE id = ?").param(PROMPT).update();
    String callSid = TwilioByHand.callSid();

    twilio.post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER));

    CallRecord call = records.findByCallSid(callSid).orElseThrow();
    assertThat(call.promptVersion()).isEqualTo(2);
    capacity.release(call.id());
  }

  // ---- refused -------------------------------------------------------------------------------

  @Test
  void aCallToANumberNoAgentAnswersHearsASentenceAndIsRejected() throws Exception {
    String callSid = TwilioByHand.callSid();

    HttpResponse<String> response =
        twilio.post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, CALLER, UNKNOWN_NUMBER));

    CallRecord call = assertSaidAndHungUp(response, VoiceWebhookController.NO_AGENT, callSid);
    assertThat(call.direction()).isEqualTo(CallDirection.INBOUND);
    assertThat(call.agentId()).isNull();
    assertThat(call.toNumber()).isEqualTo(UNKNOWN_NUMBER);
    assertThat(call.outcome()).isEqualTo(CallOutcome.REJECTED);
    assertThat(call.outcomeReason()).contains(UNKNOWN_NUMBER);
  }

  @Test
  void aForgedOrMissingSignatureIsA403ProblemAndLeavesNoRecord() throws Exception {
    String callSid = TwilioByHand.callSid();
    Map<String, String> params = TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER);
    Map<String, String> other = new HashMap<>(params);
    other.put("From", "+14155550100");
    String forged = twilio.sign(PublicUrls.VOICE, other);
    String anotherPath = twilio.sign(PublicUrls.STATUS, params);

    for (String signature : new String[] {forged, anotherPath, "bm90IGEgc2lnbmF0dXJl", null}) {
      HttpResponse<String> response = twilio.post(PublicUrls.VOICE, params, signature);
      assertThat(response.statusCode()).as(String.valueOf(signature)).isEqualTo(403);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      JsonNode problem = MAPPER.readTree(response.body());
      assertThat(problem.path("status").asInt()).isEqualTo(403);
      assertThat(problem.path("detail").asString()).contains("X-Twilio-Signature");
      assertThat(problem.path("instance").asString()).isEqualTo(PublicUrls.VOICE);
    }
    assertThat(records.findByCallSid(callSid)).isEmpty();
  }

  @Test
  void aWebhookWithoutCallSidFromOrToIsA422NamingTheField() throws Exception {
    for (String field : List.of("CallSid", "From", "To")) {
      String callSid = TwilioByHand.callSid();
      Map<String, String> params = TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER);
      params.remove(field);

      HttpResponse<String> response = twilio.post(PublicUrls.VOICE, params);

      assertThat(response.statusCode()).as(field + ": " + response.body()).isEqualTo(422);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      JsonNode errors = MAPPER.readTree(response.body()).path("errors");
      assertThat(errors.has(field)).as(response.body()).isTrue();
      assertThat(records.findByCallSid(callSid)).isEmpty();
    }
    // A CallSid that is not one (Twilio's are letters and digits) is named too.
    Map<String, String> params = TwilioByHand.inbound("CA'; DROP", CALLER, AGENT_NUMBER);
    HttpResponse<String> response = twilio.post(PublicUrls.VOICE, params);
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(MAPPER.readTree(response.body()).path("errors").has("CallSid")).isTrue();
  }

  @Test
  void aCallBeyondTheConcurrencyCapHearsTheBusySentenceAndIsRejected() throws Exception {
    List<UUID> fillers = takeEveryPlace();
    try {
      assertThat(capacity.active()).isEqualTo(capacity.limit());
      String callSid = TwilioByHand.callSid();

      HttpResponse<String> response =
          twilio.post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER));

      CallRecord call = assertSaidAndHungUp(response, VoiceWebhookController.BUSY, callSid);
      assertThat(call.outcome()).isEqualTo(CallOutcome.REJECTED);
      assertThat(call.outcomeReason()).contains("concurrency cap");
      assertThat(call.agentId()).hasToString(agentId);
      assertThat(call.status()).isNotEqualTo(CallStatus.IN_PROGRESS);
    } finally {
      fillers.forEach(capacity::release);
    }
    // With a place free again, the next call is connected.
    String callSid = TwilioByHand.callSid();
    TwilioByHand.Answer answer =
        TwilioByHand.read(
            twilio
                .post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER))
                .body());
    assertThat(answer.connects()).isTrue();
    capacity.release(UUID.fromString(answer.parameters().get("callId")));
  }

  @Test
  void anOverloadedNodeGivesANewCallTheBusySentenceAndCountsIt() throws Exception {
    given(load.overloaded()).willReturn(true);
    int places = capacity.active();
    double refusedBefore = refused("overloaded");
    String callSid = TwilioByHand.callSid();

    HttpResponse<String> response =
        twilio.post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER));

    CallRecord call = assertSaidAndHungUp(response, VoiceWebhookController.BUSY, callSid);
    assertThat(call.outcome()).isEqualTo(CallOutcome.REJECTED);
    assertThat(call.outcomeReason()).contains("overloaded");
    assertThat(call.status()).isNotEqualTo(CallStatus.IN_PROGRESS);
    assertThat(capacity.active()).as("the refused call holds no place").isEqualTo(places);
    assertThat(refused("overloaded")).isEqualTo(refusedBefore + 1);
  }

  @Test
  void anOverloadedNodeStillConnectsAnOutboundCallItPlacedBefore() throws Exception {
    UUID id = outbound(null);
    given(load.overloaded()).willReturn(true);

    TwilioByHand.Answer answer =
        TwilioByHand.read(
            twilio.post(PublicUrls.VOICE + "?call=" + id, answered(TwilioByHand.callSid())).body());

    assertThat(answer.connects()).isTrue();
    assertThat(records.find(id).orElseThrow().outcome()).isNull();
  }

  @Test
  void aRetryOfARefusedCallIsRefusedAgainEvenOnceAPlaceIsFree() throws Exception {
    String callSid = TwilioByHand.callSid();
    Map<String, String> params = TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER);
    List<UUID> fillers = takeEveryPlace();
    TwilioByHand.Answer refused;
    try {
      refused = TwilioByHand.read(twilio.post(PublicUrls.VOICE, params).body());
    } finally {
      fillers.forEach(capacity::release);
    }
    int places = capacity.active();

    // Twilio did not get the first answer in time and asks again; a place is free by now.
    TwilioByHand.Answer retried = TwilioByHand.read(twilio.post(PublicUrls.VOICE, params).body());

    assertThat(refused.say()).isEqualTo(VoiceWebhookController.BUSY);
    assertThat(retried.connects()).as("a rejected call is never connected").isFalse();
    assertThat(retried.say()).isEqualTo(VoiceWebhookController.BUSY);
    assertThat(retried.hangUp()).isTrue();
    CallRecord call = records.findByCallSid(callSid).orElseThrow();
    assertThat(call.outcome()).isEqualTo(CallOutcome.REJECTED);
    assertThat(call.status()).isNotEqualTo(CallStatus.IN_PROGRESS);
    assertThat(capacity.active()).as("the refused call holds no place").isEqualTo(places);
    assertThat(callRows(callSid)).isEqualTo(1);
  }

  @Test
  void anAgentWhosePromptWasDeletedApologisesInsteadOfConnectingASilentCall() throws Exception {
    JdbcClient.create(dataSource)
        .sql("UPDATE prompt SET deleted_at = ? WHERE id = ?")
        .params(java.sql.Timestamp.from(java.time.Instant.now()), PROMPT)
        .update();
    String callSid = TwilioByHand.callSid();
    int places = capacity.active();

    HttpResponse<String> response =
        twilio.post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER));

    TwilioByHand.Answer answer = TwilioByHand.read(response.body());
    assertThat(answer.connects()).as(response.body()).isFalse();
    assertThat(answer.say()).isEqualTo(VoiceWebhookController.UNAVAILABLE);
    assertThat(answer.hangUp()).isTrue();
    CallRecord call = records.findByCallSid(callSid).orElseThrow();
    assertThat(call.outcome()).isEqualTo(CallOutcome.SYSTEM_ERROR);
    assertThat(call.outcomeReason()).contains("prompt");
    assertThat(call.promptId()).isEqualTo(PROMPT);
    assertThat(capacity.active()).isEqualTo(places);
  }

  @Test
  void aRetryOfACallWhoseModelHasNoKeyApologisesAgain() throws Exception {
    createAgent("Spare", SPARE_AGENT_NUMBER, "spare");
    Map<String, String> params =
        TwilioByHand.inbound(TwilioByHand.callSid(), CALLER, SPARE_AGENT_NUMBER);

    twilio.post(PublicUrls.VOICE, params);
    TwilioByHand.Answer retried = TwilioByHand.read(twilio.post(PublicUrls.VOICE, params).body());

    assertThat(retried.say()).isEqualTo(VoiceWebhookController.UNAVAILABLE);
    assertThat(retried.hangUp()).isTrue();
  }

  @Test
  void theStreamEndedActionHangsUp() throws Exception {
    String callSid = TwilioByHand.callSid();
    TwilioByHand.Answer answer =
        TwilioByHand.read(
            twilio
                .post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER))
                .body());
    String action = answer.connectAction();
    String path = action.substring(action.indexOf(PublicUrls.STREAM_ENDED));

    HttpResponse<String> response =
        twilio.post(path, Map.of("CallSid", callSid, "AccountSid", TwilioByHand.ACCOUNT_SID));

    assertThat(response.statusCode()).isEqualTo(200);
    TwilioByHand.Answer hangUp = TwilioByHand.read(response.body());
    assertThat(hangUp.hangUp()).isTrue();
    assertThat(hangUp.connects()).isFalse();
    capacity.release(UUID.fromString(answer.parameters().get("callId")));
  }

  @Test
  void anAgentWhoseModelHasNoKeyApologisesAndTheCallIsASystemError() throws Exception {
    String spare = createAgent("Spare", SPARE_AGENT_NUMBER, "spare");
    String callSid = TwilioByHand.callSid();
    int placesBefore = capacity.active();

    HttpResponse<String> response =
        twilio.post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, CALLER, SPARE_AGENT_NUMBER));

    CallRecord call = assertSaidAndHungUp(response, VoiceWebhookController.UNAVAILABLE, callSid);
    assertThat(call.agentId()).hasToString(spare);
    assertThat(call.outcome()).isEqualTo(CallOutcome.SYSTEM_ERROR);
    assertThat(call.outcomeReason()).contains("spare").contains("not configured");
    assertThat(capacity.active()).as("a refused call holds no place").isEqualTo(placesBefore);
  }

  // ---- outbound calls answered ----------------------------------------------------------------

  static final String CALLEE = "+14155550188";

  private UUID outbound(String callSid) {
    return records
        .create(
            NewCall.builder(CallDirection.OUTBOUND, AGENT_NUMBER, CALLEE)
                .organisation(Organisations.DEFAULT_ID)
                .agent(UUID.fromString(agentId), snapshotJson())
                .prompt(PROMPT, 1)
                .status(CallStatus.QUEUED)
                .callSid(callSid)
                .build())
        .id();
  }

  private String snapshotJson() {
    return agents
        .snapshot(Organisations.DEFAULT_ID, UUID.fromString(agentId))
        .orElseThrow()
        .configJson();
  }

  private static Map<String, String> answered(String callSid) {
    Map<String, String> params = TwilioByHand.inbound(callSid, AGENT_NUMBER, CALLEE);
    params.put("CallStatus", "in-progress");
    params.put("Direction", "outbound-api");
    return params;
  }

  @Test
  void anAnsweredOutboundCallIsConnectedAndGetsItsCallSid() throws Exception {
    UUID id = outbound(null);
    String callSid = TwilioByHand.callSid();

    HttpResponse<String> response =
        twilio.post(PublicUrls.VOICE + "?call=" + id, answered(callSid));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    TwilioByHand.Answer answer = TwilioByHand.read(response.body());
    assertThat(answer.connects()).isTrue();
    assertThat(answer.parameters().get("callId")).isEqualTo(id.toString());
    assertThat(answer.connectAction()).endsWith(PublicUrls.STREAM_ENDED + "?call=" + id);
    CallRecord call = records.find(id).orElseThrow();
    assertThat(call.twilioCallSid()).isEqualTo(callSid);
    assertThat(call.status()).isEqualTo(CallStatus.IN_PROGRESS);
  }

  @Test
  void anOutboundCallAnsweredByAMachineIsHungUpWithOutcomeMachine() throws Exception {
    String callSid = TwilioByHand.callSid();
    UUID id = outbound(callSid);
    capacity.tryAcquire(id);
    int places = capacity.active();
    Map<String, String> params = answered(callSid);
    params.put("AnsweredBy", "machine_start");

    TwilioByHand.Answer answer =
        TwilioByHand.read(twilio.post(PublicUrls.VOICE + "?call=" + id, params).body());

    assertThat(answer.connects()).isFalse();
    assertThat(answer.hangUp()).isTrue();
    CallRecord call = records.find(id).orElseThrow();
    assertThat(call.outcome()).isEqualTo(CallOutcome.MACHINE);
    assertThat(call.answeredBy()).isEqualTo("machine_start");
    assertThat(capacity.active()).isEqualTo(places - 1);
  }

  @Test
  void anOutboundCallThatAlreadyHasAnOutcomeIsHungUp() throws Exception {
    String callSid = TwilioByHand.callSid();
    UUID id = outbound(callSid);
    records.setOutcome(id, CallOutcome.CANCELED, "hung up through the API");

    TwilioByHand.Answer answer =
        TwilioByHand.read(twilio.post(PublicUrls.VOICE + "?call=" + id, answered(callSid)).body());

    assertThat(answer.connects()).isFalse();
    assertThat(answer.hangUp()).isTrue();
    assertThat(records.find(id).orElseThrow().status()).isNotEqualTo(CallStatus.IN_PROGRESS);
  }

  @Test
  void anAnswerForAnUnknownCallOrAnotherCallSidIsHungUp() throws Exception {
    String callSid = TwilioByHand.callSid();
    UUID id = outbound(callSid);

    for (String query : List.of("?call=" + UUID.randomUUID(), "?call=" + id)) {
      TwilioByHand.Answer answer =
          TwilioByHand.read(
              twilio.post(PublicUrls.VOICE + query, answered(TwilioByHand.callSid())).body());
      assertThat(answer.connects()).as(query).isFalse();
      assertThat(answer.hangUp()).as(query).isTrue();
    }
    assertThat(records.find(id).orElseThrow().twilioCallSid()).isEqualTo(callSid);

    HttpResponse<String> response =
        twilio.post(PublicUrls.VOICE + "?call=not-a-call", answered(callSid));
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(MAPPER.readTree(response.body()).path("errors").has("call")).isTrue();
  }

  // ---- helpers -------------------------------------------------------------------------------

  /**
   * Asserts that Twilio got a 200 whose TwiML says {@code sentence} and hangs up without
   * connecting; returns the record the refused call left.
   */
  private CallRecord assertSaidAndHungUp(
      HttpResponse<String> response, String sentence, String callSid) throws Exception {
    assertThat(response.statusCode()).isEqualTo(200);
    TwilioByHand.Answer answer = TwilioByHand.read(response.body());
    assertThat(answer.connects()).isFalse();
    assertThat(answer.say()).isEqualTo(sentence);
    assertThat(answer.hangUp()).isTrue();
    return records.findByCallSid(callSid).orElseThrow();
  }

  private double refused(String reason) {
    return meters
        .get("parley.calls.refused")
        .tag("direction", "inbound")
        .tag("reason", reason)
        .counter()
        .count();
  }

  /** Takes every free place of the concurrency cap; the caller releases the returned ids. */
  private List<UUID> takeEveryPlace() {
    List<UUID> fillers = new ArrayList<>();
    UUID filler = UUID.randomUUID();
    while (capacity.tryAcquire(filler)) {
      fillers.add(filler);
      filler = UUID.randomUUID();
    }
    return fillers;
  }

  private int callRows(String callSid) {
    return JdbcClient.create(dataSource)
        .sql("SELECT COUNT(*) FROM call_record WHERE twilio_call_sid = ?")
        .param(callSid)
        .query(Integer.class)
        .single();
  }

  private String createAgent(String name, String number, String llm) throws Exception {
    String body =
        """
        {"name": "%s", "promptId": "%s", "greeting": "Hello, front desk.",
         "voice": {"provider": "elevenlabs", "voiceId": "v1"},
         "llm": {"provider": "%s", "model": "grok-4-fast-non-reasoning"},
         "twilioNumber": "%s", "recording": {"enabled": false}}
        """
            .formatted(name, PROMPT, llm, number);
    // Wait for the number sync so no background Twilio request outlives the test.
    return new AgentRequests(mvc, operator()).createAndAwaitNumberSync(body);
  }

  static RequestPostProcessor operator() {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
        .authorities(
            new SimpleGrantedAuthority("ROLE_OPERATOR"), new SimpleGrantedAuthority("ROLE_VIEWER"));
  }
}
