package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.agents.AgentConfig;
import io.parley.agents.LlmConfig;
import io.parley.agents.SttConfig;
import io.parley.agents.VoiceConfig;
import io.parley.calls.CallDirection;
import io.parley.calls.CallRecord;
import io.parley.calls.CallStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** "Always answer in this language" reaches the recogniser, the voice and the model. */
class CallSetupTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void alwaysAnswerInHindiSetsRecognitionVoiceAndInstruction() {
    CallSetup setup = new CallSetup(call("{\"name\": \"Asha\"}"), agent("hi-IN", true), null, JSON);

    assertThat(setup.sttSpec("CA1").language()).isEqualTo("hi-IN");
    assertThat(setup.sttSpec("CA1").model()).isEqualTo("nova-3");
    assertThat(setup.sttSpec("CA1").callSid()).isEqualTo("CA1");
    assertThat(setup.voiceSpec().languageCode()).isEqualTo("hi");
    assertThat(setup.languageInstruction()).contains("Always answer in Hindi");
    assertThat(setup.leadVariables()).containsEntry("name", "Asha");
  }

  @Test
  void withoutTheToggleTheModelIsFreeAndTheVoiceGetsNoLanguage() {
    CallSetup setup = new CallSetup(call(null), agent("en-US", false), null, JSON);

    assertThat(setup.sttSpec("CA1").language()).isEqualTo("en-US");
    assertThat(setup.voiceSpec().languageCode()).isNull();
    assertThat(setup.languageInstruction()).isEmpty();
  }

  @Test
  void theCustomerIsTheCallerInboundAndTheCalleeOutbound() {
    assertThat(new CallSetup(call(null), agent("en-US", false), null, JSON).customerNumber())
        .isEqualTo("+14155550177");
  }

  @Test
  void machinesAndFaxesAreNotTalkedTo() {
    assertThat(CallSetup.human("human")).isTrue();
    assertThat(CallSetup.human("unknown")).isTrue();
    assertThat(CallSetup.human("machine_start")).isFalse();
    assertThat(CallSetup.human("machine_end_beep")).isFalse();
    assertThat(CallSetup.human("fax")).isFalse();
  }

  private static AgentConfig agent(String language, boolean always) {
    return new AgentConfig(
        "Asha",
        UUID.randomUUID(),
        null,
        "Namaste!",
        null,
        language,
        always,
        null,
        new VoiceConfig("elevenlabs", "v1", null),
        null,
        new SttConfig(null, null),
        new LlmConfig(null, "grok-4-fast-non-reasoning", null),
        "+14155550100",
        null,
        null,
        null,
        null,
        null,
        List.of(),
        null,
        null);
  }

  private static CallRecord call(String leadVariables) {
    return new CallRecord(
        UUID.randomUUID(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        "{}",
        "Asha",
        UUID.randomUUID(),
        1,
        CallDirection.INBOUND,
        "+14155550177",
        "+14155550100",
        "CA1",
        CallStatus.IN_PROGRESS,
        null,
        null,
        null,
        leadVariables,
        null,
        Instant.now(),
        Instant.now(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        CallRecord.Retention.NONE);
  }
}
