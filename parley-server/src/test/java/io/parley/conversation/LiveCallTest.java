package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.sim.CallHandle;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.llm.LlmConfig.Rule;
import io.parley.sim.llm.LlmConfig.ToolCall;
import io.parley.sim.llm.LlmConfig.ToolCallStyle;
import io.parley.sim.llm.LlmRequest;
import io.parley.sim.twilio.TwilioConfig;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whole calls on loopback: the simulators play Twilio (carrier and caller), Deepgram, ElevenLabs
 * and the model; Parley listens on a real port and holds the conversation.
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LiveCallTest {

  static final String AGENT_NUMBER = "+14155550100";
  static final String CALLER = "+14155550177";
  static final UUID PROMPT = UUID.fromString("44444444-4444-4444-4444-444444444444");
  static final UUID USER = UUID.fromString("55555555-5555-5555-5555-555555555555");
  static final JsonMapper MAPPER = JsonMapper.builder().build();
  static final int PORT = freePort();

  static final String GREETING = "Hello, thanks for calling Bella's. How can I help?";
  static final String LONG_CONFIRMATION =
      "You are all set for tomorrow at eight for two people. We will send you a confirmation"
          + " message shortly, and if anything changes, just call us back and we will sort it out"
          + " for you. Is there anything else I can help you with today?";

  static final Sim SIM =
      Sim.start(
          SimConfig.defaults()
              .withTwilio(
                  TwilioConfig.defaults()
                      .withNumbers(
                          List.of(new TwilioConfig.PhoneNumber(AGENT_NUMBER, null, null, null))))
              .withLlm(
                  LlmConfig.defaults()
                      .withPacing(Duration.ofMillis(100), 200)
                      .withRules(
                          List.of(
                              Rule.user("book a table", "Of course. For what time?"),
                              Rule.userToolCalls(
                                  "tomorrow at eight",
                                  ToolCallStyle.FRAGMENTS,
                                  new ToolCall(
                                      "booking", "{\"time\":\"tomorrow 20:00\",\"party\":2}")),
                              Rule.tool("\"ok\":true", LONG_CONFIRMATION),
                              Rule.user("wait", "No problem, take your time."),
                              Rule.userToolCalls(
                                  "bye", ToolCallStyle.WHOLE, new ToolCall("end_call", "{}"))))));

  @DynamicPropertySource
  static void simulators(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    registry.add("parley.public-url", () -> "http://127.0.0.1:" + PORT);
    registry.add("PARLEY_TWILIO_API_URL", () -> SIM.twilioApiUrl().toString());
    registry.add("PARLEY_TWILIO_ACCOUNT_SID", () -> SIM.twilio().accountSid());
    registry.add("PARLEY_TWILIO_AUTH_TOKEN", () -> SIM.twilio().authToken());
    registry.add("PARLEY_DEEPGRAM_URL", () -> SIM.deepgramUrl().toString());
    registry.add("PARLEY_DEEPGRAM_API_KEY", () -> SIM.config().deepgram().apiKey());
    registry.add("PARLEY_ELEVENLABS_URL", () -> SIM.elevenLabsUrl().toString());
    registry.add("PARLEY_ELEVENLABS_API_KEY", () -> SIM.config().elevenLabs().apiKey());
    registry.add("PARLEY_LLM_XAI_BASE_URL", () -> SIM.llmBaseUrl().toString());
    registry.add("PARLEY_LLM_XAI_API_KEY", () -> SIM.llm().apiKey());
  }

  @AfterAll
  static void stopSim() {
    SIM.close();
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Bookings", "You take table bookings for Bella's.", USER);
    createAgent();
  }

  @AfterEach
  void clearFaults() {
    SIM.faults().clear();
  }

  @Test
  void aMultiTurnCallWithAToolABargeInAndAGoodbyeLeavesTheFullRecord() throws Exception {
    CallHandle call =
        SIM.placeCall(
            CALLER,
            AGENT_NUMBER,
            SimConfig.script(
                """
                - say: "I would like to book a table"
                - say: "tomorrow at eight"
                - say: "sorry wait"
                  intoAgentReplyMs: 1200
                - say: "thank you bye"
                - silenceMs: 3000
                """));

    assertThat(call.awaitEnd(Duration.ofSeconds(60))).isTrue();
    assertThat(call.errors()).isEmpty();
    CallRecord record = awaitFinished(call.sid());

    // The caller heard the greeting and the answers, in order.
    String heard = normalise(call.heardText());
    assertThat(heard).startsWith(normalise(GREETING));
    assertThat(heard).contains("of course for what time");
    assertThat(heard).contains("no problem take your time");
    // The caller's words reached the model word for word.
    List<String> userMessages = userMessages(record.id());
    assertThat(userMessages)
        .containsSubsequence(
            "i would like to book a table", "tomorrow at eight", "sorry wait", "thank you bye");
    // The interrupted confirmation was cut: clear came, and the model later saw only its heard
    // part.
    assertThat(call.clears()).isNotEmpty();

    JsonNode details = details(record.id());
    assertThat(details.path("outcome").asString()).isEqualTo("completed");
    List<String> transcript = new ArrayList<>();
    for (JsonNode segment : details.path("transcript")) {
      transcript.add(
          segment.path("role").asString() + ": " + normalise(segment.path("text").asString()));
    }
    assertThat(transcript)
        .containsSubsequence(
            "agent: " + normalise(GREETING),
            "caller: i would like to book a table",
            "agent: of course for what time",
            "caller: tomorrow at eight",
            "caller: sorry wait",
            "agent: no problem take your time",
            "caller: thank you bye");
    JsonNode interrupted = null;
    for (JsonNode segment : details.path("transcript")) {
      if (segment.path("interrupted").asBoolean()) {
        interrupted = segment;
      }
    }
    assertThat(interrupted).as("the confirmation was interrupted").isNotNull();
    String kept = normalise(interrupted.path("text").asString());
    assertThat(normalise(LONG_CONFIRMATION)).startsWith(kept);
    assertThat(kept.length()).isLessThan(normalise(LONG_CONFIRMATION).length());

    assertThat(details.path("toolInvocations").findValuesAsString("toolName"))
        .containsExactly("booking", "end_call");
    assertThat(details.path("extractedData").path("booking").path("party").asInt()).isEqualTo(2);
    JsonNode turns = details.path("turns");
    assertThat(turns.size()).isGreaterThanOrEqualTo(4);
    JsonNode answered = turns.get(1);
    for (String stage :
        List.of(
            "callerSpeechEnd",
            "sttFinal",
            "llmRequest",
            "llmFirstToken",
            "firstSpeakableChunk",
            "firstTtsAudio",
            "firstFrameSent")) {
      assertThat(answered.path(stage).isMissingNode() || answered.path(stage).isNull())
          .as(stage)
          .isFalse();
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void createAgent() throws Exception {
    String body =
        """
        {"name": "Bella", "promptId": "%s", "greeting": "%s",
         "voice": {"provider": "elevenlabs", "voiceId": "v1"},
         "llm": {"model": "grok-4-fast-non-reasoning"}, "twilioNumber": "%s",
         "recording": {"enabled": false},
         "turnTaking": {"bargeInMinWords": 0, "bargeInMinSpeechMs": 0},
         "tools": [
           {"type": "end_call"},
           {"type": "record_answer", "name": "booking",
            "schema": {"type": "object", "required": ["time", "party"],
                       "properties": {"time": {"type": "string"},
                                      "party": {"type": "integer", "minimum": 1}}}}
         ]}
        """
            .formatted(PROMPT, GREETING, AGENT_NUMBER);
    String created =
        mvc.perform(
                post("/api/agents")
                    .with(operator())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(body))
            .andReturn()
            .getResponse()
            .getContentAsString();
    String agentId = MAPPER.readTree(created).path("id").asString();
    assertThat(agentId).as(created).isNotEmpty();
    // Saving the agent points the number's voice URL at PARLEY_PUBLIC_URL/twilio/voice.
    await().atMost(Duration.ofSeconds(10)).until(() -> numberSync(agentId).equals("synced"));
  }

  private String numberSync(String agentId) throws Exception {
    String response =
        mvc.perform(get("/api/agents/" + agentId).with(operator()))
            .andReturn()
            .getResponse()
            .getContentAsString();
    return MAPPER.readTree(response).path("status").path("numberSync").asString();
  }

  private CallRecord awaitFinished(String callSid) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                records
                    .findByCallSid(callSid)
                    .map(r -> r.outcome() != null && r.endedAt() != null)
                    .orElse(false));
    return records.findByCallSid(callSid).orElseThrow();
  }

  private JsonNode details(UUID callId) throws Exception {
    String body =
        mvc.perform(get("/api/calls/" + callId).with(operator()))
            .andReturn()
            .getResponse()
            .getContentAsString();
    return MAPPER.readTree(body);
  }

  private static List<String> userMessages(UUID callId) {
    List<String> texts = new ArrayList<>();
    List<LlmRequest> requests = SIM.llm().requestsFor(callId.toString());
    if (requests.isEmpty()) {
      return texts;
    }
    JsonNode messages = requests.getLast().body().path("messages");
    for (JsonNode message : messages) {
      if (message.path("role").asString().equals("user")) {
        texts.add(normalise(message.path("content").asString()));
      }
    }
    return texts;
  }

  static String normalise(String text) {
    return text.toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} ]", "")
        .replaceAll("\\s+", " ")
        .strip();
  }

  static RequestPostProcessor operator() {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
        .authorities(
            new SimpleGrantedAuthority("ROLE_OPERATOR"), new SimpleGrantedAuthority("ROLE_VIEWER"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
