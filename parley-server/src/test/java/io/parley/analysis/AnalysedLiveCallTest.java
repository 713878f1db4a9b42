package io.parley.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.parley.calls.CallAnalysis;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.sim.CallHandle;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.llm.LlmConfig.Rule;
import io.parley.sim.llm.LlmConfig.ToolCall;
import io.parley.sim.llm.LlmConfig.ToolCallStyle;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.LoopbackServer;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole simulated call (Twilio's caller, Deepgram, ElevenLabs and the model on loopback) with an
 * agent that has analysis on: the conversation ends, and its transcript is analysed by the same
 * model, apart from the outcome the call recorded.
 */
@Tag("db")
@Tag("e2e")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class AnalysedLiveCallTest {

  static final String AGENT_NUMBER = "+14155550160";
  static final String CALLER = "+14155550177";
  static final UUID PROMPT = UUID.fromString("44444444-4444-4444-4444-444444444444");
  static final UUID USER = UUID.fromString("55555555-5555-5555-5555-555555555555");
  static final JsonMapper MAPPER = JsonMapper.builder().build();
  static final int PORT = LoopbackServer.freePort();

  @AutoClose
  static final Sim SIM =
      Sim.start(
          SimConfig.defaults()
              .withTwilio(SimTwilio.owning(AGENT_NUMBER))
              .withLlm(
                  LlmConfig.defaults()
                      .withRules(
                          List.of(
                              // The analysis: its user message is the transcript.
                              Rule.user(
                                  "Transcript:[\\s\\S]*book a table",
                                  """
                                  {"summary": "The caller booked a table for two tomorrow.",
                                   "category": "booked", "sentiment": "positive",
                                   "fields": {"party": 2}}"""),
                              // The conversation.
                              Rule.user(
                                  "book a table", "Of course, for two tomorrow. Anything else?"),
                              Rule.userToolCalls(
                                  "bye", ToolCallStyle.WHOLE, new ToolCall("end_call", "{}"))))));

  @DynamicPropertySource
  static void simulators(DynamicPropertyRegistry registry) {
    LoopbackServer.listenOn(registry, PORT);
    io.parley.support.SimProviders.all(registry, SIM);
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Bookings", "You take table bookings.", USER);
  }

  @Test
  void aFinishedLiveCallIsAnalysed() throws Exception {
    new AgentRequests(mvc, operator())
        .createAndAwaitNumberSync(
            """
            {"name": "Bella", "promptId": "%s", "greeting": "Hello, this is Bella's.",
             "voice": {"provider": "elevenlabs", "voiceId": "v1"},
             "llm": {"model": "grok-4-fast-non-reasoning"}, "twilioNumber": "%s",
             "recording": {"enabled": false},
             "tools": [{"type": "end_call"}],
             "analysis": {"enabled": true, "categories": ["booked", "no booking"],
               "schema": {"type": "object", "properties": {"party": {"type": "integer"}}}}}
            """
                .formatted(PROMPT, AGENT_NUMBER));

    CallHandle call =
        SIM.placeCall(
            CALLER,
            AGENT_NUMBER,
            SimConfig.script(
                """
                - say: "I would like to book a table"
                - say: "thank you bye"
                - silenceMs: 3000
                """));
    assertThat(call.awaitEnd(Duration.ofSeconds(60))).isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                records
                    .findByCallSid(call.sid())
                    .map(r -> r.outcome() != null && r.status().terminal())
                    .orElse(false));
    CallRecord record = records.findByCallSid(call.sid()).orElseThrow();

    CallAnalysis analysis =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> records.analysis(record.id()), Optional::isPresent)
            .orElseThrow();
    assertThat(analysis.status()).isEqualTo(CallAnalysis.Status.DONE);
    assertThat(analysis.category()).isEqualTo("booked");
    assertThat(analysis.fieldsJson()).contains("\"party\"");
    assertThat(analysis.promptTokens()).isPositive();

    JsonNode details =
        MAPPER.readTree(
            mvc.perform(get("/api/calls/" + record.id()).with(operator()))
                .andReturn()
                .getResponse()
                .getContentAsString());
    assertThat(details.path("outcome").asString())
        .isEqualTo(record.outcome().wire())
        .isNotEqualTo("booked");
    assertThat(details.path("analysis").path("summary").asString())
        .isEqualTo("The caller booked a table for two tomorrow.");
    // The model read what was said on the call.
    String transcript =
        SIM.llm().requestsFor(record.id().toString()).stream()
            .map(r -> r.body().path("messages"))
            .filter(
                m -> m.size() == 2 && m.get(1).path("content").asString().startsWith("Transcript:"))
            .findFirst()
            .orElseThrow()
            .get(1)
            .path("content")
            .asString()
            .toLowerCase(java.util.Locale.ROOT);
    assertThat(transcript).contains("agent: hello, this is bella's.").contains("book a table");
  }

  private static RequestPostProcessor operator() {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_OPERATOR"));
  }
}
