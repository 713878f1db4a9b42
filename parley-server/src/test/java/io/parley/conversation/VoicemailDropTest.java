package io.parley.conversation;

import static io.parley.conversation.LiveCallTest.normalise;
import static io.parley.conversation.LiveCallTest.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.sim.CallHandle;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.caller.CallMedia;
import io.parley.sim.caller.CallerScript;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.llm.LlmConfig.Rule;
import io.parley.sim.twilio.TwilioConfig;
import io.parley.support.AgentRequests;
import io.parley.support.Callees;
import io.parley.support.DatabaseCleaner;
import io.parley.support.LoopbackServer;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import java.time.Duration;
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
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Voicemail drop on loopback: the simulated callee is an answering machine that plays its greeting,
 * beeps, and records what it hears; Parley must say nothing into the greeting and leave the whole
 * message after the beep.
 */
@Tag("db")
@Tag("e2e")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class VoicemailDropTest {

  static final String AGENT_NUMBER = "+14155550110";
  static final String SILENT_NUMBER = "+14155550111";
  static final String MACHINE = Callees.daytime(41);
  static final String PERSON = Callees.daytime(42);
  static final UUID PROMPT = UUID.fromString("44444444-4444-4444-4444-444444444444");
  static final UUID USER = UUID.fromString("55555555-5555-5555-5555-555555555555");
  static final JsonMapper MAPPER = JsonMapper.builder().build();
  static final int PORT = LoopbackServer.freePort();

  static final String GREETING = "Hello, this is Bella from Bella's Bistro. How can I help?";
  static final String VOICEMAIL =
      "Hello, this is Bella calling from Bella's Bistro about your table booking. Please call us"
          + " back on 415-555-0110. Thank you, goodbye.";
  static final String MACHINE_GREETING =
      "Hi, you have reached Sam. I cannot take your call right now, please leave a message after"
          + " the tone.";

  @AutoClose
  static final Sim SIM =
      Sim.start(
          SimConfig.defaults()
              .withTwilio(
                  SimTwilio.owning(AGENT_NUMBER, SILENT_NUMBER)
                      .withDestinations(
                          Map.of(
                              MACHINE,
                              new TwilioConfig.Destination(
                                  TwilioConfig.Outcome.ANSWER,
                                  Duration.ofMillis(300),
                                  "machine_end_beep",
                                  null,
                                  CallerScript.of(
                                      new CallerScript.Say(
                                          MACHINE_GREETING, new CallerScript.Now()),
                                      new CallerScript.Beep(Duration.ofMillis(500)),
                                      new CallerScript.Silence(Duration.ofSeconds(30)))),
                              PERSON,
                              // the person answers once the whole greeting has played
                              TwilioConfig.Destination.answer(
                                  Duration.ofMillis(300),
                                  CallerScript.of(
                                      new CallerScript.Say(
                                          "I would like to book a table",
                                          new CallerScript.AgentStops(
                                              Duration.ofMillis(1500), Duration.ofSeconds(15))),
                                      new CallerScript.Silence(Duration.ofSeconds(3)))))))
              .withLlm(
                  LlmConfig.defaults()
                      .withPacing(Duration.ofMillis(100), 200)
                      .withRules(List.of(Rule.user("book a table", "Of course. For what time?")))));

  @DynamicPropertySource
  static void simulators(DynamicPropertyRegistry registry) {
    LoopbackServer.listenOn(registry, PORT);
    io.parley.support.SimProviders.all(registry, SIM);
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Bookings", "You take table bookings for Bella's.", USER);
  }

  @Test
  void aMachineHearsNothingDuringItsGreetingAndTheWholeMessageAfterTheBeep() throws Exception {
    String agentId = createAgent(AGENT_NUMBER, voicemail(VOICEMAIL));

    UUID id = dial(agentId, MACHINE);
    CallRecord call = awaitFinished(id);
    CallHandle machine = SIM.call(call.twilioCallSid());
    assertThat(machine.awaitEnd(Duration.ofSeconds(10))).isTrue();

    assertThat(call.outcome().wire()).isEqualTo("voicemail_left");
    assertThat(call.answeredBy()).isEqualTo("machine_end_beep");
    long beepEnd = machine.media().beepEndMillis();
    assertThat(beepEnd).as("the machine beeped").isPositive();
    List<CallMedia.Played> played = machine.media().played();
    assertThat(played).as("the message played").isNotEmpty();
    // Nothing was spoken into the greeting: every piece of agent audio started after the beep.
    assertThat(played)
        .allSatisfy(p -> assertThat(p.startMicros() / 1000).isGreaterThanOrEqualTo(beepEnd));
    // The whole message, and nothing else, is on the machine's recording.
    assertThat(normalise(machine.heardText())).isEqualTo(normalise(VOICEMAIL));
    // Nobody to talk to: the model was never asked, and no clear cut the message.
    assertThat(SIM.llm().requestsFor(id.toString())).isEmpty();
    assertThat(machine.clears()).isEmpty();
    JsonNode transcript = details(id).path("transcript");
    assertThat(transcript.toString()).contains("Bella's Bistro about your table booking");
  }

  @Test
  void withoutAVoicemailMessageAMachineIsHungUpOnInSilence() throws Exception {
    String agentId = createAgent(SILENT_NUMBER, "");

    UUID id = dial(agentId, MACHINE);
    CallRecord call = awaitFinished(id);

    assertThat(call.outcome().wire()).isEqualTo("machine");
    assertThat(call.voicemailMessage()).isNull();
    assertThat(SIM.call(call.twilioCallSid()).heardText()).isEmpty();
  }

  @Test
  void aPersonGetsTheNormalConversation() throws Exception {
    String agentId = createAgent(AGENT_NUMBER, voicemail(VOICEMAIL));

    UUID id = dial(agentId, PERSON);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                normalise(SIM.call(records.find(id).orElseThrow().twilioCallSid()).heardText())
                    .contains("of course for what time"));
    CallRecord call = records.find(id).orElseThrow();
    CallHandle person = SIM.call(call.twilioCallSid());

    assertThat(call.answeredBy()).isEqualTo("human");
    assertThat(call.voicemailMessage()).isEqualTo(VOICEMAIL);
    assertThat(normalise(person.heardText())).startsWith(normalise(GREETING));
    assertThat(normalise(person.heardText())).doesNotContain("call us back");
    person.hangUp();
    assertThat(awaitFinished(id).outcome().wire()).isEqualTo("completed");
  }

  @Test
  void aVoicemailMessageMustBeSomethingToSay() throws Exception {
    for (String message : List.of("\"  \"", "\"" + "x".repeat(1001) + "\"", "null")) {
      mvc.perform(
              post("/api/agents")
                  .with(operator())
                  .contentType(MediaType.APPLICATION_JSON)
                  .content(
                      agentBody(SILENT_NUMBER, "\"voicemail\": {\"message\": " + message + "}")))
          .andExpect(status().isUnprocessableEntity())
          .andExpect(jsonPath("$.errors['voicemail.message']").exists());
    }
    // The rules require a call-back number: a message without one is refused, naming them.
    mvc.perform(
            post("/api/agents")
                .with(operator())
                .contentType(MediaType.APPLICATION_JSON)
                .content(agentBody(SILENT_NUMBER, voicemail("This is Bella's Bistro, call us."))))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(
            jsonPath("$.errors['voicemail.message']")
                .value(org.hamcrest.Matchers.containsString("47 CFR 64.1200(b)(2)")));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static String voicemail(String message) {
    return "\"voicemail\": {\"message\": \"%s\"}".formatted(message);
  }

  private String createAgent(String number, String extra) throws Exception {
    return new AgentRequests(mvc, operator()).createAndAwaitNumberSync(agentBody(number, extra));
  }

  private static String agentBody(String number, String extra) {
    return """
        {"name": "Bella", "promptId": "%s", "greeting": "%s",
         "voice": {"provider": "elevenlabs", "voiceId": "v1"},
         "llm": {"model": "grok-4-fast-non-reasoning"}, "twilioNumber": "%s",
         "recording": {"enabled": false},
         "amd": {"mode": "detect_message_end", "async": true},
         "tools": [{"type": "end_call"}]%s}
        """
        .formatted(PROMPT, GREETING, number, extra.isEmpty() ? "" : ", " + extra);
  }

  private UUID dial(String agentId, String to) throws Exception {
    String response =
        mvc.perform(
                post("/api/calls")
                    .with(operator())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        """
                        {"agentId": "%s", "to": "%s"}
                        """
                            .formatted(agentId, to)))
            .andReturn()
            .getResponse()
            .getContentAsString();
    String id = MAPPER.readTree(response).path("id").asString();
    assertThat(id).as(response).isNotEmpty();
    return UUID.fromString(id);
  }

  private CallRecord awaitFinished(UUID callId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                records
                    .find(callId)
                    .map(r -> r.outcome() != null && r.status().terminal())
                    .orElse(false));
    return records.find(callId).orElseThrow();
  }

  private JsonNode details(UUID callId) throws Exception {
    String body =
        mvc.perform(get("/api/calls/" + callId).with(operator()))
            .andReturn()
            .getResponse()
            .getContentAsString();
    return MAPPER.readTree(body);
  }
}
