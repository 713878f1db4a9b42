package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;

import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.sim.CallHandle;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.caller.CallerScript;
import io.parley.sim.twilio.Webhooks;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.LoopbackServer;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import java.time.Duration;
import java.util.List;
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

/**
 * A whole answered call records with the channels its agent asks for: the conversation starts the
 * recording when the call is answered, and Twilio (the simulator) reports mono for the default
 * agent and dual for the agent that asks for it.
 */
@Tag("e2e")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class RecordedCallTest {

  private static final String MONO_NUMBER = "+14155550140";
  private static final String DUAL_NUMBER = "+14155550141";
  private static final String CALLER = "+14155550177";
  private static final UUID PROMPT = UUID.fromString("44444444-4444-4444-4444-444444444444");
  private static final UUID USER = UUID.fromString("55555555-5555-5555-5555-555555555555");
  private static final int PORT = LoopbackServer.freePort();

  @AutoClose
  private static final Sim SIM =
      Sim.start(SimConfig.defaults().withTwilio(SimTwilio.owning(MONO_NUMBER, DUAL_NUMBER)));

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
    PromptRows.insert(dataSource, PROMPT, "Front desk", "You answer the phone.", USER);
    AgentRequests agents =
        new AgentRequests(
            mvc,
            jwt()
                .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
                .authorities(new SimpleGrantedAuthority("ROLE_OPERATOR")));
    // No recording setting: enabled, mono.
    agents.createAndAwaitNumberSync(agent("Mono", MONO_NUMBER, ""));
    agents.createAndAwaitNumberSync(
        agent("Dual", DUAL_NUMBER, ", \"recording\": {\"enabled\": true, \"channels\": \"dual\"}"));
  }

  @Test
  void eachCallIsRecordedWithItsAgentsChannels() throws Exception {
    CallHandle mono = SIM.placeCall(CALLER, MONO_NUMBER, script());
    CallHandle dual = SIM.placeCall(CALLER, DUAL_NUMBER, script());

    // The caller hears the greeting once the conversation has begun (and asked for the recording).
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !mono.heardText().isBlank() && !dual.heardText().isBlank());
    mono.hangUp();
    dual.hangUp();
    assertThat(mono.awaitEnd(Duration.ofSeconds(10))).isTrue();
    assertThat(dual.awaitEnd(Duration.ofSeconds(10))).isTrue();
    CallRecord monoCall = awaitRecording(mono.sid());
    CallRecord dualCall = awaitRecording(dual.sid());

    assertThat(recordingChannels(mono.sid())).containsExactly("1");
    assertThat(recordingChannels(dual.sid())).containsExactly("2");
    assertThat(monoCall.recording().sid()).isNotEqualTo(dualCall.recording().sid());
  }

  private static CallerScript script() {
    return SimConfig.script(
        """
        - say: "hello there"
        - silenceMs: 1500
        """);
  }

  private static String agent(String name, String number, String extra) {
    return """
        {"name": "%s", "promptId": "%s", "greeting": "Hello, front desk.",
         "voice": {"provider": "elevenlabs", "voiceId": "v1"},
         "llm": {"model": "grok-4-fast-non-reasoning"}, "twilioNumber": "%s"%s}
        """
        .formatted(name, PROMPT, number, extra);
  }

  private CallRecord awaitRecording(String callSid) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> records.findByCallSid(callSid).map(r -> r.recording() != null).orElse(false));
    return records.findByCallSid(callSid).orElseThrow();
  }

  /** What the simulator reported to Parley's recording callback for the call. */
  private static List<String> recordingChannels(String callSid) {
    return SIM.twilio().webhooks().log().stream()
        .filter(d -> d.url().contains(PublicUrls.RECORDING))
        .filter(d -> callSid.equals(d.params().get("CallSid")))
        .map(Webhooks.Delivery::params)
        .map(p -> p.get("RecordingChannels"))
        .toList();
  }
}
