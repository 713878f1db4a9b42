package io.parley.dialing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.agents.AgentConfig;
import io.parley.agents.VoicemailConfig;
import io.parley.shared.InvalidInputException;
import io.parley.telephony.OutboundDial.MachineDetection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which voicemail message a call is placed with: only one that can be left after the beep. */
class VoicemailChoiceTest {

  static final AgentConfig AGENT = agent(new VoicemailConfig("The agent's message."));
  static final AgentConfig WITHOUT = agent(null);

  @Test
  void detectionThatWaitsForTheBeepAlongsideTheCallLeavesTheAgentsMessage() {
    assertThat(
            Dialer.voicemail(
                AGENT, null, detection(MachineDetection.Mode.DETECT_MESSAGE_END, true)))
        .isEqualTo("The agent's message.");
    assertThat(
            Dialer.voicemail(
                WITHOUT, null, detection(MachineDetection.Mode.DETECT_MESSAGE_END, true)))
        .isNull();
  }

  @Test
  void theCampaignsMessageWinsOverTheAgents() {
    assertThat(
            Dialer.voicemail(
                AGENT,
                "The campaign's.",
                detection(MachineDetection.Mode.DETECT_MESSAGE_END, true)))
        .isEqualTo("The campaign's.");
    assertThat(
            Dialer.voicemail(
                WITHOUT,
                "The campaign's.",
                detection(MachineDetection.Mode.DETECT_MESSAGE_END, true)))
        .isEqualTo("The campaign's.");
  }

  @Test
  void withoutTheEndOfTheGreetingNoMessageIsLeft() {
    // Enable reports the machine at once: the message would go into the greeting.
    assertThat(
            Dialer.voicemail(
                AGENT, "The campaign's.", detection(MachineDetection.Mode.ENABLE, true)))
        .isNull();
    // Detecting before connecting hangs up in the TwiML: there is no stream to speak on.
    assertThat(
            Dialer.voicemail(
                AGENT,
                "The campaign's.",
                detection(MachineDetection.Mode.DETECT_MESSAGE_END, false)))
        .isNull();
    assertThat(Dialer.voicemail(AGENT, "The campaign's.", Optional.empty())).isNull();
  }

  @Test
  void theMessageIsRenderedWithTheCallsValuesAndAnUnknownNameIsEmpty() {
    assertThat(
            Dialer.rendered(
                "Hi {{first_name}}{{nickname}}, {{agent_name}} from {{ shop }} on {{caller_phone}},"
                    + " for {{callee_phone}}.",
                Map.of("first_name", "Ann", "shop", "Bella's Bistro"),
                "Bella",
                "+14155550123",
                "+14155550177"))
        .isEqualTo("Hi Ann, Bella from Bella's Bistro on +14155550123, for +14155550177.");
    // A value cannot smuggle a placeholder in: it is inserted literally, braces kept apart.
    assertThat(
            Dialer.rendered(
                "Hi {{first_name}}.", Map.of("first_name", "{{agent_name}}"), "Bella", "+1", "+2"))
        .isEqualTo("Hi { {agent_name}}.");
    assertThat(Dialer.rendered(null, Map.of(), "Bella", "+1", "+2")).isNull();
  }

  @Test
  void valuesThatMakeTheMessageTooLongOrEmptyAreRefusedNamingTheVariables() {
    assertThatThrownBy(
            () ->
                Dialer.rendered(
                    "Hi {{note}}, call 415-555-0123.",
                    Map.of("note", "x".repeat(1000)),
                    "Bella",
                    "+1",
                    "+2"))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.fieldErrors()).containsKey("variables"));
    assertThatThrownBy(() -> Dialer.rendered("{{note}}", Map.of(), "Bella", "+1", "+2"))
        .isInstanceOf(InvalidInputException.class);
  }

  private static Optional<MachineDetection> detection(MachineDetection.Mode mode, boolean async) {
    return Optional.of(new MachineDetection(mode, async, 30, 2400, 1200, 5000));
  }

  private static AgentConfig agent(VoicemailConfig voicemail) {
    return new AgentConfig(
        "Bella", null, null, "Hello", null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, List.of(), voicemail, null);
  }
}
