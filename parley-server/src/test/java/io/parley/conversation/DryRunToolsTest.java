package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.agents.ToolConfig;
import io.parley.llm.LlmEvent;
import io.parley.prompts.PromptCatalog;
import io.parley.prompts.PromptVersion;
import io.parley.prompts.RenderInput;
import io.parley.prompts.RenderedPrompt;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's tools in the playground's dry run: the same checks and answers as on a call, nothing
 * done outside the conversation (the call's collaborators are absent, so any attempt would throw),
 * and a description of what a call would have done.
 */
class DryRunToolsTest {

  static final UUID ORG = UUID.randomUUID();
  static final UUID BILLING = UUID.randomUUID();
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Knows one prompt, BILLING, at version 3. */
  static final PromptCatalog PROMPTS =
      new PromptCatalog() {
        @Override
        public boolean exists(UUID organisationId, UUID promptId) {
          return promptId.equals(BILLING);
        }

        @Override
        public boolean hasVersion(UUID organisationId, UUID promptId, int versionNumber) {
          return exists(organisationId, promptId) && versionNumber == 3;
        }

        @Override
        public Optional<Integer> currentVersion(UUID organisationId, UUID promptId) {
          return exists(organisationId, promptId) ? Optional.of(3) : Optional.empty();
        }

        @Override
        public Optional<PromptVersion> findVersion(
            UUID organisationId, UUID promptId, int versionNumber) {
          return Optional.empty();
        }

        @Override
        public RenderedPrompt render(
            UUID organisationId, UUID promptId, int versionNumber, RenderInput input) {
          throw new UnsupportedOperationException("the renderer given to the toolset is used");
        }
      };

  private final DryRunTools.Toolset tools =
      new DryRunTools(
              PROMPTS, JSON, Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC))
          .forConversation(
              ORG,
              UUID.randomUUID(),
              List.of(
                  new ToolConfig.EndCall("Ends the call"),
                  new ToolConfig.OptOut("Opts out"),
                  new ToolConfig.ScheduleCallback("Books a callback"),
                  new ToolConfig.SwitchPrompt(List.of(BILLING), "Switches"),
                  new ToolConfig.TransferCall(
                      List.of(new ToolConfig.TransferTarget("Sales", "+14155550999")),
                      "Transfers")),
              Map.of(),
              null,
              (promptId, version) ->
                  new RenderedPrompt(
                      promptId, version, "You answer billing questions.", "UTC", "default"));

  private DryRunTools.Outcome run(String name, String arguments) {
    return tools.run(new LlmEvent.ToolCall("call_1", name, arguments));
  }

  @Test
  void endingToolsSayHowTheCallWouldEndWithoutEndingAnything() {
    DryRunTools.Outcome end = run("end_call", "{}");
    assertThat(end.ok()).isTrue();
    assertThat(end.ending())
        .isEqualTo(new DryRunTools.Ending("hang_up", "completed", CallTools.GOODBYE));
    assertThat(end.effect()).isEqualTo("would hang up (outcome completed)");

    DryRunTools.Outcome optOut = run("opt_out", "{}");
    assertThat(optOut.resultJson()).contains("do-not-call list");
    assertThat(optOut.ending().outcome()).isEqualTo("opted_out");
    assertThat(optOut.effect()).startsWith("would add the caller's number to the do-not-call list");

    DryRunTools.Outcome transfer = run("transfer_call", "{\"target\":\"sales\"}");
    assertThat(transfer.ending().action()).isEqualTo("transfer");
    assertThat(transfer.effect()).isEqualTo("would transfer the call to Sales (+14155550999)");
  }

  @Test
  void argumentsAreCheckedAsOnACall() {
    DryRunTools.Outcome unknownTarget = run("transfer_call", "{\"target\":\"nobody\"}");
    assertThat(unknownTarget.ok()).isFalse();
    assertThat(unknownTarget.effect()).isNull();
    assertThat(unknownTarget.ending()).isNull();
    assertThat(unknownTarget.resultJson()).contains("target must be one of [Sales]");

    assertThat(run("schedule_callback", "{\"summary\":\"x\"}").resultJson())
        .contains("at is required");
    assertThat(run("schedule_callback", "{\"at\":\"next week\"}").ok()).isFalse();
    assertThat(run("no_such_tool", "{}").resultJson()).contains("There is no tool named");
    assertThat(run("end_call", "not json").ok()).isFalse();
  }

  @Test
  void aCallbackIsDescribedNotBooked() {
    DryRunTools.Outcome callback =
        run("schedule_callback", "{\"at\":\"2026-12-08T15:00\",\"summary\":\"price question\"}");
    assertThat(callback.ok()).isTrue();
    assertThat(callback.resultJson()).contains("Tuesday 8 December 2026 at 15:00");
    assertThat(callback.effect())
        .isEqualTo(
            "would book a callback for 2026-12-08T15:00 (price question); no calling window was"
                + " checked");
    assertThat(callback.ending()).isNull();
  }

  @Test
  void switchingPromptsReallySwitchesTheConversation() {
    DryRunTools.Outcome switched = run("switch_prompt", "{\"prompt_id\":\"" + BILLING + "\"}");
    assertThat(switched.newSystemPrompt()).isEqualTo("You answer billing questions.");
    assertThat(switched.effect()).isEqualTo("switched to prompt " + BILLING + " version 3");
    assertThat(tools.definitions())
        .extracting(t -> t.name())
        .containsExactly(
            "end_call", "opt_out", "schedule_callback", "switch_prompt", "transfer_call");
  }
}
