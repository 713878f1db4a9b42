package io.parley.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.agents.AgentDirectory;
import io.parley.calls.CallAnalysis;
import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.NewCall;
import io.parley.calls.NewSegment;
import io.parley.calls.SegmentRole;
import io.parley.calls.StatusUpdate;
import io.parley.shared.Organisations;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.llm.LlmConfig.Rule;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import io.parley.support.PromptRows;
import io.parley.support.SimProviders;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Post-call analysis end to end on the real database and the LLM simulator: an agent with analysis
 * enabled, a call that ends with a transcript, the job the end schedules, the model's answer
 * checked (an invalid one asked again once), the analysis stored apart from the outcome and shown
 * by the API and the export; a node that was down when calls ended analyses them when it starts.
 */
@DbTest
class CallAnalysisTest {

  @AutoClose static final Sim SIM = Sim.start(SimConfig.defaults());

  static final UUID PROMPT = UUID.fromString("11111111-1111-1111-1111-111111111111");
  static final UUID USER = UUID.fromString("33333333-3333-3333-3333-333333333333");
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  static final String GOOD =
      """
      {"summary": "Priya confirmed her appointment on Friday.", "category": "Confirmed",
       "sentiment": "positive", "fields": {"confirmed": true, "day": "Friday"}}""";
  static final String WRONG_CATEGORY =
      """
      {"summary": "Priya confirmed.", "category": "maybe", "sentiment": "positive",
       "fields": {"confirmed": true}}""";
  static final String WRONG_FIELDS =
      """
      {"summary": "Priya confirmed.", "category": "confirmed", "sentiment": "positive",
       "fields": {"confirmed": "yes"}}""";

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    SimProviders.all(registry, SIM);
    registry.add("parley.analysis.delay", () -> "0s");
    registry.add("parley.jobs.retry-backoff", () -> "1s");
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired CallRecords records;
  @Autowired AgentDirectory agents;
  @Autowired ApplicationContext context;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Reminders", "You remind patients.", USER);
    SIM.llm().rules(List.of());
    SIM.faults().clear();
  }

  @Test
  void aModelThatFailsForNowIsAskedAgainLaterAndABadKeyIsStoredAsAnError() throws Exception {
    SIM.llm().rules(List.of(Rule.user("Transcript:", GOOD)));
    UUID agent = agent(true);
    // Two 503s: the request and the LLM client's own retry; the job fails and runs again later.
    SIM.faults().next(Faults.Target.LLM, 2, new Fault.ErrorStatus(503, Duration.ZERO));
    UUID later = finishedCall(agent);
    CallAnalysis analysis = awaitAnalysis(later);
    assertThat(analysis.status()).isEqualTo(CallAnalysis.Status.DONE);
    assertThat(analysis.attempts()).isEqualTo(1);
    assertThat(SIM.llm().requestsFor(later.toString())).hasSize(3);

    // A refused key will not get better: stored at once.
    SIM.faults().next(Faults.Target.LLM, 1, new Fault.ErrorStatus(401, null));
    UUID refused = finishedCall(agent);
    CallAnalysis error = awaitAnalysis(refused);
    assertThat(error.status()).isEqualTo(CallAnalysis.Status.ERROR);
    assertThat(error.error()).startsWith("the model did not answer");
    assertThat(SIM.llm().requestsFor(refused.toString())).hasSize(1);
    assertThat(records.find(refused).orElseThrow().outcome()).isEqualTo(CallOutcome.COMPLETED);
  }

  @Test
  void aFinishedCallIsSummarisedCategorisedAndItsFieldsFilledApartFromItsOutcome()
      throws Exception {
    SIM.llm().rules(List.of(Rule.user("Transcript:", GOOD)));
    UUID agent = agent(true);
    UUID call = finishedCall(agent);

    CallAnalysis analysis = awaitAnalysis(call);
    assertThat(analysis.status()).isEqualTo(CallAnalysis.Status.DONE);
    assertThat(analysis.summary()).isEqualTo("Priya confirmed her appointment on Friday.");
    assertThat(analysis.category()).as("spelt as the agent lists it").isEqualTo("confirmed");
    assertThat(analysis.sentiment()).isEqualTo("positive");
    assertThat(MAPPER.readTree(analysis.fieldsJson()))
        .isEqualTo(MAPPER.readTree("{\"confirmed\": true, \"day\": \"Friday\"}"));
    assertThat(analysis.attempts()).isEqualTo(1);
    assertThat(analysis.promptTokens()).isPositive();
    assertThat(analysis.completionTokens()).isPositive();
    assertThat(analysis.model()).isEqualTo("grok-4-fast-non-reasoning");

    // The model read the transcript and was told the categories and the schema.
    JsonNode request = SIM.llm().requestsFor(call.toString()).getFirst().body();
    String system = request.path("messages").get(0).path("content").asString();
    assertThat(system).contains("[\"confirmed\",\"declined\"]").contains("\"day\"");
    assertThat(request.path("messages").get(1).path("content").asString())
        .contains("Person: Yes, Friday works.");

    // The outcome is the call's own; the analysis sits beside it.
    mvc.perform(get("/api/calls/" + call).with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.outcome").value("completed"))
        .andExpect(jsonPath("$.outcomeReason").value("the caller said goodbye"))
        .andExpect(jsonPath("$.analysis.status").value("done"))
        .andExpect(jsonPath("$.analysis.category").value("confirmed"))
        .andExpect(jsonPath("$.analysis.sentiment").value("positive"))
        .andExpect(jsonPath("$.analysis.fields.day").value("Friday"))
        .andExpect(jsonPath("$.analysis.attempts").value(1));

    String csv =
        mvc.perform(get("/api/calls/export.csv").with(as("SUPERVISOR")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    List<String> lines = csv.lines().toList();
    assertThat(lines.getFirst()).contains("analysis_status,analysis_summary,analysis_category");
    assertThat(lines.get(1))
        .contains(",done,Priya confirmed her appointment on Friday.,confirmed,positive,")
        .contains("Friday");

    // A second end of the same call (a duplicate callback) schedules nothing more.
    records.applyStatus(call, StatusUpdate.of(CallStatus.COMPLETED, Instant.now()));
    assertThat(jobs()).isZero();
    assertThat(SIM.llm().requestsFor(call.toString())).hasSize(1);
  }

  @Test
  void anInvalidAnswerIsAskedAgainOnceWithTheReason() throws Exception {
    SIM.llm()
        .rules(
            List.of(
                Rule.user("not valid", GOOD), // the retry
                Rule.user("Transcript:", WRONG_CATEGORY)));
    UUID call = finishedCall(agent(true));

    CallAnalysis analysis = awaitAnalysis(call);
    assertThat(analysis.status()).isEqualTo(CallAnalysis.Status.DONE);
    assertThat(analysis.category()).isEqualTo("confirmed");
    assertThat(analysis.attempts()).isEqualTo(2);
    var requests = SIM.llm().requestsFor(call.toString());
    assertThat(requests).hasSize(2);
    JsonNode retry = requests.get(1).body().path("messages");
    assertThat(retry).hasSize(4);
    assertThat(retry.get(2).path("content").asString()).contains("\"maybe\"");
    assertThat(retry.get(3).path("content").asString())
        .contains("\"category\" must be exactly one of [\"confirmed\",\"declined\"]");
    // Both requests are paid for: the simulator counts a word of input as a token.
    assertThat(analysis.promptTokens())
        .isEqualTo(
            simPromptTokens(requests.get(0).body()) + simPromptTokens(requests.get(1).body()));
  }

  @Test
  void twoInvalidAnswersAreStoredAsAnErrorAndTheOutcomeStays() throws Exception {
    SIM.llm().rules(List.of(Rule.user("not valid|Transcript:", WRONG_FIELDS)));
    UUID call = finishedCall(agent(true));

    CallAnalysis analysis = awaitAnalysis(call);
    assertThat(analysis.status()).isEqualTo(CallAnalysis.Status.ERROR);
    assertThat(analysis.error())
        .startsWith("the model's answer was invalid twice: \"fields\" does not match the schema")
        .contains("confirmed");
    assertThat(analysis.summary()).isNull();
    assertThat(analysis.attempts()).isEqualTo(2);
    assertThat(SIM.llm().requestsFor(call.toString())).hasSize(2);
    assertThat(records.find(call).orElseThrow().outcome()).isEqualTo(CallOutcome.COMPLETED);
    mvc.perform(get("/api/calls/" + call).with(as("VIEWER")))
        .andExpect(jsonPath("$.outcome").value("completed"))
        .andExpect(jsonPath("$.analysis.status").value("error"))
        .andExpect(jsonPath("$.analysis.summary").doesNotExist());
  }

  @Test
  void callsThatEndedWhileTheNodeWasDownAreAnalysedWhenItStarts() throws Exception {
    SIM.llm().rules(List.of(Rule.user("Transcript:", GOOD)));
    UUID agent = agent(true);
    SmartLifecycle poller = context.getBean("jobPoller", SmartLifecycle.class);
    poller.stop();
    List<UUID> calls;
    try {
      calls = List.of(finishedCall(agent), finishedCall(agent), finishedCall(agent));
      // The ends committed their jobs; nothing ran them.
      assertThat(jobs()).isEqualTo(3);
      // One was being run by a node that crashed: its lease ran out.
      jdbc.sql(
              "UPDATE job SET leased_by = 'crashed-node', lease_until = :past, attempts = 1"
                  + " WHERE dedupe_key = :key")
          .param("past", Timestamp.from(Instant.now().minusSeconds(1)))
          .param("key", "call.analysis:" + calls.getFirst())
          .update();
      Thread.sleep(300);
      calls.forEach(call -> assertThat(SIM.llm().requestsFor(call.toString())).isEmpty());
      calls.forEach(call -> assertThat(records.analysis(call)).isEmpty());
    } finally {
      poller.start();
    }
    for (UUID call : calls) {
      assertThat(awaitAnalysis(call).status()).isEqualTo(CallAnalysis.Status.DONE);
      assertThat(SIM.llm().requestsFor(call.toString())).hasSize(1);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs() == 0);
  }

  @Test
  void callsOfAnAgentWithoutAnalysisOrWithoutATranscriptAreNotAnalysed() throws Exception {
    UUID off = agent(false);
    UUID talked = finishedCall(off);
    UUID on = agent(true);
    UUID silent =
        records
            .create(
                NewCall.builder(CallDirection.OUTBOUND, "+14155550100", "+14155550002")
                    .agent(
                        on,
                        agents.snapshot(Organisations.DEFAULT_ID, on).orElseThrow().configJson())
                    .prompt(PROMPT, 1)
                    .build())
            .id();
    records.applyStatus(silent, StatusUpdate.of(CallStatus.NO_ANSWER, Instant.now()));

    assertThat(jobs()).isZero();
    Thread.sleep(300);
    assertThat(SIM.llm().requestsFor(talked.toString())).isEmpty();
    assertThat(SIM.llm().requestsFor(silent.toString())).isEmpty();
    assertThat(records.analysis(talked)).isEmpty();
  }

  @Test
  void theAnalysisSettingsAreValidatedWithTheAgent() throws Exception {
    String body =
        agentBody(true)
            .replace("[\"confirmed\", \"declined\"]", "[\"confirmed\", \"Confirmed \", \"\"]")
            .replace("\"type\": \"object\", \"properties\"", "\"type\": \"array\", \"properties\"");
    mvc.perform(
            post("/api/agents")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(body))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors['analysis.categories[1]']").value("is listed twice"))
        .andExpect(jsonPath("$.errors['analysis.categories[2]']").exists())
        .andExpect(jsonPath("$.errors['analysis.schema']").exists());
    mvc.perform(
            post("/api/agents")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(agentBody(true).replace("\"enabled\": true", "\"enabled\": \"yes\"")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors['analysis.enabled']").exists());
  }

  private UUID agent(boolean analysis) throws Exception {
    String created =
        mvc.perform(
                post("/api/agents")
                    .with(as("OPERATOR"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(agentBody(analysis)))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    JsonNode agent = MAPPER.readTree(created);
    assertThat(agent.path("analysis").path("enabled").asBoolean()).isEqualTo(analysis);
    return UUID.fromString(agent.path("id").asString());
  }

  private static String agentBody(boolean analysis) {
    return """
        {
          "name": "Reminders",
          "promptId": "%s",
          "greeting": "Hello!",
          "voice": {"provider": "elevenlabs", "voiceId": "v1"},
          "llm": {"model": "grok-4-fast-non-reasoning"},
          "analysis": {
            "enabled": %s,
            "summary": "Say whether the patient confirmed and for which day.",
            "categories": ["confirmed", "declined"],
            "schema": {"type": "object", "properties": {
              "confirmed": {"type": "boolean"}, "day": {"type": "string"}},
              "required": ["confirmed"]}
          }
        }
        """
        .formatted(PROMPT, analysis);
  }

  /** A call of the agent that talked, was disposed by the conversation and then hung up. */
  private UUID finishedCall(UUID agent) {
    String snapshot = agents.snapshot(Organisations.DEFAULT_ID, agent).orElseThrow().configJson();
    UUID call =
        records
            .create(
                NewCall.builder(CallDirection.OUTBOUND, "+14155550100", "+14155550001")
                    .agent(agent, snapshot)
                    .prompt(PROMPT, 1)
                    .build())
            .id();
    Instant now = Instant.now();
    records.applyStatus(call, StatusUpdate.of(CallStatus.IN_PROGRESS, now));
    records.appendSegment(
        call, new NewSegment(SegmentRole.AGENT, "Can you come on Friday?", 0L, 1500L, false));
    records.appendSegment(
        call, new NewSegment(SegmentRole.CALLER, "Yes, Friday works.", 2000L, 3000L, false));
    records.finish(call, CallOutcome.COMPLETED, "the caller said goodbye", now.plusSeconds(5));
    records.applyStatus(call, new StatusUpdate(CallStatus.COMPLETED, now.plusSeconds(5), 5));
    return call;
  }

  private CallAnalysis awaitAnalysis(UUID call) {
    return await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> records.analysis(call), java.util.Optional::isPresent)
        .orElseThrow();
  }

  /** The simulator's prompt token count: each message's words, plus one. */
  private static long simPromptTokens(JsonNode body) {
    long tokens = 0;
    for (JsonNode message : body.path("messages")) {
      String text = message.path("content").asString("");
      tokens += text.isBlank() ? 1 : text.trim().split("\\s+").length + 1;
    }
    return tokens;
  }

  private long jobs() {
    return jdbc.sql("SELECT COUNT(*) FROM job WHERE kind = 'call.analysis'")
        .query(Long.class)
        .single();
  }

  private static RequestPostProcessor as(String role) {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_" + role));
  }
}
