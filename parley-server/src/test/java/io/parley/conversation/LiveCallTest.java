package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.sim.CallHandle;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.audio.EmissionLog;
import io.parley.sim.caller.CallMedia;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.llm.LlmConfig.Rule;
import io.parley.sim.llm.LlmConfig.ToolCall;
import io.parley.sim.llm.LlmConfig.ToolCallStyle;
import io.parley.sim.llm.LlmRequest;
import io.parley.sim.twilio.TwilioConfig;
import io.parley.support.AgentRequests;
import io.parley.support.Callees;
import io.parley.support.DatabaseCleaner;
import io.parley.support.LoopbackServer;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
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
@Tag("e2e")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LiveCallTest {

  static final String AGENT_NUMBER = "+14155550100";
  static final String RULE_NUMBER = "+14155550101";
  static final String TOOLS_NUMBER = "+14155550102";
  static final String FAULTS_NUMBER = "+14155550103";
  static final String LOAD_NUMBER = "+14155550104";
  static final String CALLER = "+14155550177";
  // Callees the calling window allows now by their own zone (a request's timeZone cannot widen it).
  static final String OUT_PERSON = Callees.daytime(31);
  static final String OUT_MACHINE = Callees.daytime(32);
  static final UUID SECOND_PROMPT = UUID.fromString("66666666-6666-6666-6666-666666666666");
  static final UUID PROMPT = UUID.fromString("44444444-4444-4444-4444-444444444444");
  static final UUID USER = UUID.fromString("55555555-5555-5555-5555-555555555555");
  static final JsonMapper MAPPER = JsonMapper.builder().build();
  static final int PORT = LoopbackServer.freePort();

  static final String GREETING = "Hello, thanks for calling Bella's. How can I help?";
  static final String LONG_CONFIRMATION =
      "You are all set for tomorrow at eight for two people. We will send you a confirmation"
          + " message shortly, and if anything changes, just call us back and we will sort it out"
          + " for you. Is there anything else I can help you with today?";

  static final List<Rule> BOOKING_RULES =
      List.of(
          Rule.user("book a table", "Of course. For what time?"),
          Rule.userToolCalls(
              "tomorrow at eight",
              ToolCallStyle.FRAGMENTS,
              // Two calls in one response; the first breaks the tool's schema (party 0).
              new ToolCall("booking", "{\"time\":\"tonight\",\"party\":0}"),
              new ToolCall("booking", "{\"time\":\"tomorrow 20:00\",\"party\":2}")),
          Rule.tool("\"ok\":true", LONG_CONFIRMATION),
          Rule.user("wait", "No problem, take your time."),
          Rule.userToolCalls("bye", ToolCallStyle.WHOLE, new ToolCall("end_call", "{}")));

  @AutoClose
  static final Sim SIM =
      Sim.start(
          SimConfig.defaults()
              .withTwilio(
                  SimTwilio.owning(
                          AGENT_NUMBER, RULE_NUMBER, TOOLS_NUMBER, FAULTS_NUMBER, LOAD_NUMBER)
                      .withDestinations(
                          java.util.Map.of(
                              OUT_PERSON,
                              TwilioConfig.Destination.answer(
                                  Duration.ofMillis(300),
                                  SimConfig.script(
                                      """
                                      - say: "I would like to book a table"
                                      - say: "thank you bye"
                                      - silenceMs: 3000
                                      """)),
                              OUT_MACHINE,
                              TwilioConfig.Destination.machine(
                                  "machine_end_beep", Duration.ofMillis(1500)))))
              .withLlm(
                  LlmConfig.defaults()
                      .withPacing(Duration.ofMillis(100), 200)
                      .withRules(BOOKING_RULES)));

  @DynamicPropertySource
  static void simulators(DynamicPropertyRegistry registry) {
    LoopbackServer.listenOn(registry, PORT);
    io.parley.support.SimProviders.all(registry, SIM);
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;
  @Autowired io.parley.compliance.DoNotCallList doNotCall;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Bookings", "You take table bookings for Bella's.", USER);
    createAgent();
  }

  @AfterEach
  void clearFaults() {
    SIM.faults().clear();
    SIM.llm().rules(BOOKING_RULES);
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
    // Audio came in top-ups of several 20 ms frames per media message, never a split frame.
    assertThat(call.received())
        .allSatisfy(m -> assertThat(m.payload().length % OutboundPacer.FRAME_BYTES).isZero())
        .anySatisfy(m -> assertThat(m.payload().length).isGreaterThan(OutboundPacer.FRAME_BYTES));

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
    java.nio.file.Files.writeString(
        java.nio.file.Path.of("target/live-call.json"),
        details.toPrettyString() + "\nSAID " + call.said() + "\nCLEARS " + call.clears());
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
    // The model's history kept only what the caller heard of the interrupted reply.
    List<LlmRequest> requests = SIM.llm().requestsFor(record.id().toString());
    List<String> assistantTexts = new ArrayList<>();
    for (JsonNode message : requests.getLast().body().path("messages")) {
      if (message.path("role").asString().equals("assistant")) {
        assistantTexts.add(normalise(message.path("content").asString()));
      }
    }
    assertThat(assistantTexts).contains(kept);
    assertThat(assistantTexts).doesNotContain(normalise(LONG_CONFIRMATION));

    assertThat(details.path("toolInvocations").findValuesAsString("toolName"))
        .containsExactly("booking", "booking", "end_call");
    // The invalid call went back to the model as an error; the call carried on.
    assertThat(details.path("toolInvocations").findValuesAsString("status"))
        .containsExactly("error", "ok", "ok");
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

  // ---- barge-in with a minimum -----------------------------------------------------------------

  static final String STORY =
      "Once upon a time there was a little restaurant by the sea. Every evening the cook made"
          + " fresh pasta, and people came from far away to eat it, sitting by the windows and"
          + " watching the boats come home while the sun went down over the water.";

  static final String SHORT_STORY =
      "Once upon a time there was a cook. She made fresh pasta every evening, and people came"
          + " from far away to eat it.";

  @Test
  void withAMinimumABackchannelDoesNotInterruptButRealWordsDo() throws Exception {
    createAgent(
        RULE_NUMBER,
        """
        "turnTaking": {"bargeInMinWords": 2, "bargeInMinSpeechMs": 300},
        "tools": [{"type": "end_call"}]
        """);
    SIM.llm()
        .rules(
            List.of(
                Rule.user("stop now", "Sure, I will stop."),
                Rule.user("story", STORY),
                Rule.userToolCalls("bye", ToolCallStyle.WHOLE, new ToolCall("end_call", "{}"))));
    CallHandle call =
        SIM.placeCall(
            CALLER,
            RULE_NUMBER,
            SimConfig.script(
                """
                - say: "tell me a story"
                - say: "okay"
                  intoAgentReplyMs: 1500
                - silenceMs: 1500
                - say: "please stop now"
                  now: true
                - say: "thank you bye"
                - silenceMs: 3000
                """));

    assertThat(call.awaitEnd(Duration.ofSeconds(60))).isTrue();
    CallRecord record = awaitFinished(call.sid());
    assertThat(call.errors()).isEmpty();
    // The backchannel did not become a turn of its own.
    assertThat(userMessages(record.id()))
        .containsExactly("tell me a story", "please stop now", "thank you bye");
    // Each sign of speech silenced the line at once (clear at the pause): once for "okay", after
    // which the reply resumed, and once for "please stop now", which then interrupted it.
    long okayAt = saidAt(call, "okay");
    long stopAt = saidAt(call, "please stop now");
    assertThat(okayAt).isLessThan(stopAt);
    assertThat(call.clears()).hasSize(2);
    assertThat(call.clears().get(0)).isBetween(okayAt, stopAt);
    assertThat(call.clears().get(1)).isGreaterThan(stopAt);
    assertNothingOfTheCutReplyPlayedAfterClear(call, STORY);
    assertKeptTextMatchesWhatPlayed(record.id(), call, STORY);
    assertThat(normalise(call.heardText())).contains("sure i will stop");
  }

  @Test
  void aBackchannelPausesTheReplyAndItResumesWithoutLosingAWord() throws Exception {
    createAgent(
        RULE_NUMBER,
        """
        "turnTaking": {"bargeInMinWords": 2, "bargeInMinSpeechMs": 300},
        "tools": [{"type": "end_call"}]
        """);
    SIM.llm()
        .rules(
            List.of(
                Rule.user("story", STORY),
                Rule.userToolCalls("bye", ToolCallStyle.WHOLE, new ToolCall("end_call", "{}"))));
    CallHandle call =
        SIM.placeCall(
            CALLER,
            RULE_NUMBER,
            SimConfig.script(
                """
                - say: "tell me a story"
                - say: "okay"
                  intoAgentReplyMs: 2000
                - say: "thank you bye"
                  maxWaitMs: 30000
                - silenceMs: 3000
                """));

    assertThat(call.awaitEnd(Duration.ofSeconds(60))).isTrue();
    CallRecord record = awaitFinished(call.sid());
    assertThat(call.errors()).isEmpty();
    assertThat(userMessages(record.id())).containsExactly("tell me a story", "thank you bye");
    // "okay" silenced the line at once, then the reply went on from where the caller was
    assertThat(call.clears()).hasSize(1);
    assertThat(call.clears().getFirst()).isGreaterThan(saidAt(call, "okay"));
    // the caller heard every word of the story, in order
    assertThat(normalise(call.heardText())).contains(normalise(STORY));
    // and nothing twice but the stretch between the last mark that came back and the pause:
    // at most one progress interval (100 ms), plus a little for the mark's way back
    assertThat(repeatedMillis(call, STORY)).isLessThanOrEqualTo(120);
    // the whole story stays in the history and the transcript: it was heard in full
    JsonNode details = details(record.id());
    List<String> agentLines = new ArrayList<>();
    for (JsonNode segment : details.path("transcript")) {
      if (segment.path("role").asString().equals("agent")) {
        agentLines.add(normalise(segment.path("text").asString()));
        assertThat(segment.path("interrupted").asBoolean()).isFalse();
      }
    }
    assertThat(agentLines).contains(normalise(STORY));
  }

  /** Milliseconds of the reply's audio that played more than once at the caller. */
  private static long repeatedMillis(CallHandle call, String reply) {
    java.util.Map<Long, java.util.BitSet> covered = new java.util.HashMap<>();
    long played = 0;
    EmissionLog.Run previous = null;
    for (CallMedia.Played stretch : call.media().played()) {
      for (EmissionLog.Run run : SIM.emissions().locate(stretch.audio(), previous)) {
        previous = run;
        if (reply.contains(run.emission().text())) {
          played += run.length();
          covered
              .computeIfAbsent(run.emission().id(), id -> new java.util.BitSet())
              .set(run.emissionOffset(), run.emissionOffset() + run.length());
        }
      }
    }
    long unique = covered.values().stream().mapToLong(java.util.BitSet::cardinality).sum();
    return (played - unique) / 8;
  }

  // ---- connections the provider closes while the caller is quiet
  // ---------------------------------

  @Test
  void turnsAfterPausesLongerThanTheHostsKeepAliveFindALiveConnection() throws Exception {
    createAgent(RULE_NUMBER, "\"tools\": [{\"type\": \"end_call\"}]");
    SIM.llm()
        .rules(
            List.of(
                Rule.user("first question", "Here is the first answer."),
                Rule.user("second question", "Here is the second answer."),
                Rule.user("third question", "Here is the third answer."),
                Rule.userToolCalls("bye", ToolCallStyle.WHOLE, new ToolCall("end_call", "{}"))));
    double retriesBefore = counter("parley.llm.retries");
    double warmUpsBefore = counter("parley.connection.warmups");
    long lostBefore = SIM.connections().requestsOnClosedConnections();
    // the simulators close connections idle for 5 s, as Node does; the caller pauses 8 s
    CallHandle call =
        SIM.placeCall(
            CALLER,
            RULE_NUMBER,
            SimConfig.script(
                """
                - say: "the first question"
                - silenceMs: 8000
                - say: "the second question"
                  now: true
                - silenceMs: 8000
                - say: "the third question"
                  now: true
                - silenceMs: 8000
                - say: "thank you bye"
                  now: true
                - silenceMs: 3000
                """));

    assertThat(call.awaitEnd(Duration.ofSeconds(90))).isTrue();
    assertThat(call.errors()).isEmpty();
    CallRecord record = awaitFinished(call.sid());
    assertThat(userMessages(record.id()))
        .containsExactly(
            "the first question", "the second question", "the third question", "thank you bye");
    // no request was written on a connection the host had closed, and none needed a retry
    assertThat(SIM.connections().requestsOnClosedConnections() - lostBefore).isZero();
    assertThat(counter("parley.llm.retries") - retriesBefore).isZero();
    // a connection was made ready as each utterance began
    assertThat(counter("parley.connection.warmups") - warmUpsBefore).isGreaterThanOrEqualTo(4);
    // at the simulators: Deepgram's speech_final left → the model's request arrived, every turn
    List<Long> gaps = finalToModelRequestMillis(call.sid(), record.id());
    assertThat(gaps).hasSize(4);
    assertThat(gaps).allSatisfy(gap -> assertThat(gap).isBetween(0L, 150L));
  }

  /**
   * For each final transcript Deepgram sent that ended a turn, the time from its sending to the
   * arrival of the model request that carries it, both on the simulators' clock.
   */
  private static List<Long> finalToModelRequestMillis(String callSid, UUID callId) {
    List<LlmRequest> requests = SIM.llm().requestsFor(callId.toString());
    List<Long> gaps = new ArrayList<>();
    for (var session : SIM.deepgram().sessionsFor(callSid)) {
      for (var sent : session.sent()) {
        if (!sent.label().startsWith("speech_final:") || sent.label().endsWith(":")) {
          continue;
        }
        String words = normalise(sent.label().substring("speech_final:".length()));
        requests.stream()
            .filter(r -> r.atMillis() >= sent.atMillis())
            .filter(r -> normalise(lastUserMessage(r)).endsWith(words))
            .findFirst()
            .ifPresent(r -> gaps.add(r.atMillis() - sent.atMillis()));
      }
    }
    return gaps;
  }

  private static String lastUserMessage(LlmRequest request) {
    String last = "";
    for (JsonNode message : request.body().path("messages")) {
      if (message.path("role").asString().equals("user")) {
        last = message.path("content").asString();
      }
    }
    return last;
  }

  // ---- tools -----------------------------------------------------------------------------------

  static final String SECOND_CALLER = "+14155550178";
  static final String BILLING = "+14155550999";

  @Test
  void switchingPromptsTransferringAndOptingOutWork() throws Exception {
    PromptRows.insert(
        dataSource, SECOND_PROMPT, "Billing", "You answer billing questions for Bella's.", USER);
    createAgent(
        TOOLS_NUMBER,
        """
        "tools": [
          {"type": "switch_prompt", "promptIds": ["%s"]},
          {"type": "transfer_call", "targets": [{"name": "billing", "number": "%s"}]},
          {"type": "opt_out"}
        ]
        """
            .formatted(SECOND_PROMPT, BILLING));
    SIM.llm()
        .rules(
            List.of(
                Rule.userToolCalls(
                    "about my bill",
                    ToolCallStyle.FRAGMENTS,
                    new ToolCall("switch_prompt", "{\"prompt_id\":\"" + SECOND_PROMPT + "\"}")),
                Rule.tool("Switched", "Sure, I can help with billing."),
                Rule.userToolCalls(
                    "a person",
                    ToolCallStyle.WHOLE,
                    new ToolCall("transfer_call", "{\"target\":\"billing\"}")),
                Rule.userToolCalls(
                    "do not call", ToolCallStyle.WHOLE, new ToolCall("opt_out", "{}"))));

    CallHandle transfer =
        SIM.placeCall(
            CALLER,
            TOOLS_NUMBER,
            SimConfig.script(
                """
                - say: "a question about my bill"
                - say: "let me talk to a person"
                - silenceMs: 4000
                """));
    CallHandle optOut =
        SIM.placeCall(
            SECOND_CALLER,
            TOOLS_NUMBER,
            SimConfig.script(
                """
                - say: "please do not call me again"
                - silenceMs: 5000
                """));

    assertThat(transfer.awaitEnd(Duration.ofSeconds(60))).isTrue();
    assertThat(optOut.awaitEnd(Duration.ofSeconds(60))).isTrue();
    CallRecord transferred = awaitFinished(transfer.sid());
    CallRecord optedOut = awaitFinished(optOut.sid());

    assertThat(transfer.dialed()).containsExactly(BILLING);
    assertThat(transferred.outcome().wire()).isEqualTo("transferred");
    assertThat(normalise(transfer.heardText())).contains("sure i can help with billing");
    List<LlmRequest> requests = SIM.llm().requestsFor(transferred.id().toString());
    assertThat(requests.getLast().body().path("messages").get(0).path("content").asString())
        .contains("billing questions");
    JsonNode details = details(transferred.id());
    assertThat(details.path("toolInvocations").findValuesAsString("toolName"))
        .containsExactly("switch_prompt", "transfer_call");

    assertThat(optedOut.outcome().wire()).isEqualTo("opted_out");
    assertThat(normalise(optOut.heardText())).contains("you wont be called again");
    assertThat(doNotCall.find(io.parley.shared.Organisations.DEFAULT_ID, SECOND_CALLER))
        .hasValueSatisfying(
            entry -> assertThat(entry.toString()).containsIgnoringCase("opt_out_call"));
  }

  // ---- faults ----------------------------------------------------------------------------------

  @Test
  void aDroppedRecognitionSocketAndARateLimitedModelDoNotLoseTheCall() throws Exception {
    createAgent(FAULTS_NUMBER, "\"tools\": [{\"type\": \"end_call\"}]");
    double retriesBefore = counter("parley.llm.retries");
    // The model refuses the first request once; the recogniser's socket drops mid-call.
    SIM.faults().next(Faults.Target.LLM, 1, new Fault.ErrorStatus(429, Duration.ofMillis(200)));
    SIM.faults().next(Faults.Target.DEEPGRAM, 1, new Fault.DropMidStream(260));
    CallHandle call =
        SIM.placeCall(
            CALLER,
            FAULTS_NUMBER,
            SimConfig.script(
                """
                - say: "I would like to book a table for two people tomorrow"
                - say: "thank you bye"
                - silenceMs: 3000
                """));

    assertThat(call.awaitEnd(Duration.ofSeconds(60))).isTrue();
    CallRecord record = awaitFinished(call.sid());
    assertThat(SIM.faults().injectedCount(Faults.Target.DEEPGRAM)).isEqualTo(1);
    assertThat(counter("parley.llm.retries")).isEqualTo(retriesBefore + 1);
    assertThat(userMessages(record.id()))
        .containsExactly("i would like to book a table for two people tomorrow", "thank you bye");
    assertThat(normalise(call.heardText())).contains("of course for what time");
    assertThat(record.outcome().wire()).isEqualTo("completed");
  }

  @Test
  void whenElevenLabsFailsTheFallbackVoiceSpeaksTheWholeGreeting() throws Exception {
    createAgent(FAULTS_NUMBER, "\"tools\": [{\"type\": \"end_call\"}]");
    SIM.faults().set(Faults.Target.ELEVENLABS, new Fault.ErrorStatus(500, null));
    CallHandle call =
        SIM.placeCall(
            CALLER,
            FAULTS_NUMBER,
            SimConfig.script(
                """
                - say: "thank you bye"
                - silenceMs: 3000
                """));

    assertThat(call.awaitEnd(Duration.ofSeconds(60))).isTrue();
    awaitFinished(call.sid());
    assertThat(normalise(call.heardText())).startsWith(normalise(GREETING));
    List<String> sources =
        SIM.emissions().emissions().stream()
            .filter(e -> e.text().contains("thanks for calling"))
            .map(e -> e.source())
            .toList();
    assertThat(sources).contains("aura");
    // Once the fallback speaks, its audio plays without holes.
    List<CallMedia.Played> played = call.media().played();
    for (int i = 1; i < played.size(); i++) {
      long gapMicros = played.get(i).startMicros() - played.get(i - 1).endMicros();
      if (played.get(i).startMicros() < saidAt(call, "thank you bye") * 1000) {
        assertThat(gapMicros).as("gap before piece " + i).isLessThan(100_000);
      }
    }
  }

  // ---- many calls
  // --------------------------------------------------------------------------------

  @Test
  void twentyCallsSomeHungUpMidReplyLeaveNothingBehind() throws Exception {
    createAgent(
        LOAD_NUMBER,
        "Hi there.",
        """
        "turnTaking": {"bargeInMinWords": 0, "bargeInMinSpeechMs": 0},
        "tools": [{"type": "end_call"}]
        """);
    SIM.llm()
        .rules(
            List.of(
                Rule.user("story", SHORT_STORY),
                Rule.userToolCalls("bye", ToolCallStyle.WHOLE, new ToolCall("end_call", "{}"))));
    // One call first, so pools and caches are warm before the baseline is taken.
    CallHandle warmUp = SIM.placeCall(CALLER, LOAD_NUMBER, SimConfig.script("- say: \"bye\""));
    assertThat(warmUp.awaitEnd(Duration.ofSeconds(30))).isTrue();
    awaitFinished(warmUp.sid());
    await().atMost(Duration.ofSeconds(10)).until(() -> gauge("parley.calls.active") == 0);
    long fdsBefore = openFileDescriptors();

    List<CallHandle> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String script =
          i % 2 == 0
              ? "- say: \"tell me a story\"\n- hangupAfterMs: 1500\n"
              : "- say: \"tell me a story\"\n- say: \"thank you bye\"\n- silenceMs: 3000\n";
      calls.add(
          SIM.placeCall("+1415555%04d".formatted(2000 + i), LOAD_NUMBER, SimConfig.script(script)));
    }
    for (CallHandle call : calls) {
      assertThat(call.awaitEnd(Duration.ofSeconds(90))).as(call.sid()).isTrue();
    }
    for (CallHandle call : calls) {
      CallRecord record = awaitFinished(call.sid());
      assertThat(record.outcome().wire()).isEqualTo("completed");
      assertThat(call.errors()).isEmpty();
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> gauge("parley.calls.active") == 0);
    await().atMost(Duration.ofSeconds(15)).until(() -> gauge("parley.media.sockets.open") == 0);
    await().atMost(Duration.ofSeconds(15)).until(() -> gauge("parley.stt.sockets.open") == 0);
    await().atMost(Duration.ofSeconds(15)).until(() -> gauge("parley.tts.sockets.open") == 0);
    await().atMost(Duration.ofSeconds(15)).until(() -> callThreads().isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(openFileDescriptors()).isLessThanOrEqualTo(fdsBefore + 10));
  }

  // ---- outbound

  @Test
  void anOutboundCallToAPersonTalksAndToAMachineSaysNothing() throws Exception {
    String agentId =
        createAgent(
            RULE_NUMBER,
            """
            "amd": {"mode": "enable", "async": true},
            "tools": [{"type": "end_call"}]
            """);
    UUID person = dial(agentId, OUT_PERSON);
    UUID machine = dial(agentId, OUT_MACHINE);

    CallRecord talked = awaitFinishedById(person);
    CallRecord hungUp = awaitFinishedById(machine);

    CallHandle personCall = SIM.call(talked.twilioCallSid());
    assertThat(normalise(personCall.heardText())).startsWith(normalise(GREETING));
    assertThat(normalise(personCall.heardText())).contains("of course for what time");
    assertThat(talked.outcome().wire()).isEqualTo("completed");
    assertThat(userMessages(person))
        .containsExactly("i would like to book a table", "thank you bye");

    assertThat(hungUp.outcome().wire()).isEqualTo("machine");
    assertThat(hungUp.answeredBy()).startsWith("machine");
    assertThat(SIM.call(hungUp.twilioCallSid()).heardText()).isEmpty();
    assertThat(SIM.llm().requestsFor(machine.toString())).isEmpty();
  }

  private UUID dial(String agentId, String to) throws Exception {
    String response =
        mvc.perform(
                post("/api/calls")
                    .with(operator())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        """
                        {"agentId": "%s", "to": "%s", "timeZone": "%s"}
                        """
                            .formatted(agentId, to, zoneAt(13))))
            .andReturn()
            .getResponse()
            .getContentAsString();
    String id = MAPPER.readTree(response).path("id").asString();
    assertThat(id).as(response).isNotEmpty();
    return UUID.fromString(id);
  }

  private CallRecord awaitFinishedById(UUID callId) {
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

  /** An IANA zone where it is now about {@code hour} o'clock, so the calling window allows it. */
  private static String zoneAt(int hour) {
    int utc = java.time.Instant.now().atZone(java.time.ZoneOffset.UTC).getHour();
    int offset = Math.floorMod(hour - utc + 12, 24) - 12;
    if (offset == 0) {
      return "Etc/GMT";
    }
    return offset > 0 ? "Etc/GMT-" + offset : "Etc/GMT+" + (-offset);
  }

  // ---- ambience

  @Test
  void withAmbienceTheLineIsNeverSilentAndTheCallerIsStillUnderstood() throws Exception {
    createAgent(
        FAULTS_NUMBER,
        """
        "backgroundAmbience": true,
        "tools": [{"type": "end_call"}]
        """);
    CallHandle call =
        SIM.placeCall(
            CALLER,
            FAULTS_NUMBER,
            SimConfig.script(
                """
                - say: "I would like to book a table"
                - dtmf: "5"
                - say: "thank you bye"
                - silenceMs: 3000
                """));

    assertThat(call.awaitEnd(Duration.ofSeconds(60))).isTrue();
    CallRecord record = awaitFinished(call.sid());
    assertThat(userMessages(record.id()))
        .containsExactly("i would like to book a table", "thank you bye");
    assertThat(details(record.id()).path("transcript").findValuesAsString("text"))
        .contains("[pressed 5]");
    List<CallMedia.Received> frames = call.received();
    assertThat(frames).isNotEmpty();
    long longestGap = 0;
    for (int i = 1; i < frames.size(); i++) {
      longestGap = Math.max(longestGap, frames.get(i).atMillis() - frames.get(i - 1).atMillis());
    }
    // Room tone fills the silences: frames keep coming while the caller talks.
    assertThat(longestGap).isLessThan(250);
    long span = frames.getLast().atMillis() - frames.getFirst().atMillis();
    long audioMs = frames.stream().mapToLong(f -> f.payload().length).sum() / 8;
    assertThat(audioMs).isGreaterThan((long) (span * 0.8));
    assertThat(call.errors()).isEmpty();
  }

  // ---- audio checks
  // ------------------------------------------------------------------------------

  /**
   * No audio of the cut reply's emissions started playing after the clear that interrupted it (the
   * last one: a pause before it clears too, and the reply may resume after that).
   */
  private static void assertNothingOfTheCutReplyPlayedAfterClear(CallHandle call, String reply) {
    long clearMicros = call.clears().getLast() * 1000;
    EmissionLog.Run previous = null;
    for (CallMedia.Played played : call.media().played()) {
      for (EmissionLog.Run run : SIM.emissions().locate(played.audio(), previous)) {
        previous = run;
        if (played.startMicros() >= clearMicros) {
          assertThat(reply).as("played after clear").doesNotContain(run.emission().text());
        }
      }
    }
  }

  /**
   * The interrupted segment keeps every chunk the caller heard in full and none that never played.
   */
  private void assertKeptTextMatchesWhatPlayed(UUID callId, CallHandle call, String reply)
      throws Exception {
    String kept = null;
    for (JsonNode segment : details(callId).path("transcript")) {
      if (segment.path("interrupted").asBoolean()) {
        kept = segment.path("text").asString();
      }
    }
    assertThat(kept).as("an interrupted segment").isNotNull();
    assertThat(normalise(reply)).startsWith(normalise(kept));
    java.util.Map<Long, Integer> playedBytes = new java.util.HashMap<>();
    java.util.Map<Long, EmissionLog.Emission> emissions = new java.util.HashMap<>();
    EmissionLog.Run previous = null;
    for (CallMedia.Played played : call.media().played()) {
      for (EmissionLog.Run run : SIM.emissions().locate(played.audio(), previous)) {
        previous = run;
        if (reply.contains(run.emission().text())) {
          playedBytes.merge(run.emission().id(), run.length(), Integer::sum);
          emissions.put(run.emission().id(), run.emission());
        }
      }
    }
    for (EmissionLog.Emission emission : SIM.emissions().emissions()) {
      if (!reply.contains(emission.text()) || emission.source().equals("aura")) {
        continue;
      }
      int played = playedBytes.getOrDefault(emission.id(), 0);
      if (played >= emission.audio().length) {
        assertThat(normalise(kept)).contains(normalise(emission.text()));
      } else if (played == 0 && !normalise(kept).isEmpty()) {
        assertThat(normalise(kept).endsWith(normalise(emission.text()))).isFalse();
      }
    }
  }

  private static long saidAt(CallHandle call, String text) {
    return call.said().stream()
        .filter(s -> s.utterance().text().equals(text))
        .findFirst()
        .orElseThrow()
        .atMillis();
  }

  @Autowired io.micrometer.core.instrument.MeterRegistry meters;

  private double counter(String name) {
    return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private double gauge(String name) {
    var gauge = meters.find(name).gauge();
    return gauge == null ? 0 : gauge.value();
  }

  private static long openFileDescriptors() throws IOException {
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** Threads (virtual ones included) whose name says they belong to a call. */
  private static List<String> callThreads() throws IOException {
    java.nio.file.Path dump = java.nio.file.Files.createTempFile("threads", ".json");
    java.nio.file.Files.delete(dump);
    java.lang.management.ManagementFactory.getPlatformMXBean(
            com.sun.management.HotSpotDiagnosticMXBean.class)
        .dumpThreads(
            dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
    String text = java.nio.file.Files.readString(dump);
    java.nio.file.Files.delete(dump);
    List<String> names = new ArrayList<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"name\": \"(call-[^\"]*)\"").matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void createAgent() throws Exception {
    createAgent(
        AGENT_NUMBER,
        """
        "turnTaking": {"bargeInMinWords": 0, "bargeInMinSpeechMs": 0},
        "tools": [
          {"type": "end_call"},
          {"type": "record_answer", "name": "booking",
           "schema": {"type": "object", "required": ["time", "party"],
                      "properties": {"time": {"type": "string"},
                                     "party": {"type": "integer", "minimum": 1}}}}
        ]
        """);
  }

  /** Creates an agent answering {@code number}; {@code extra} adds or overrides settings. */
  String createAgent(String number, String extra) throws Exception {
    return createAgent(number, GREETING, extra);
  }

  String createAgent(String number, String greeting, String extra) throws Exception {
    String body =
        """
        {"name": "Bella", "promptId": "%s", "greeting": "%s",
         "voice": {"provider": "elevenlabs", "voiceId": "v1"},
         "fallbackVoice": {"provider": "deepgram", "voiceId": "aura-2-thalia-en"},
         "llm": {"model": "grok-4-fast-non-reasoning"}, "twilioNumber": "%s",
         "recording": {"enabled": false},
         %s}
        """
            .formatted(PROMPT, greeting, number, extra);
    // Saving the agent points the number's voice URL at PARLEY_PUBLIC_URL/twilio/voice.
    return new AgentRequests(mvc, operator()).createAndAwaitNumberSync(body);
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
}
