package io.parley.conversation;

import io.parley.agents.AgentConfig;
import io.parley.agents.ToolConfig;
import io.parley.calls.CallOutcome;
import io.parley.llm.LlmEvent;
import io.parley.llm.LlmTool;
import io.parley.prompts.PromptCatalog;
import io.parley.prompts.RenderedPrompt;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agent's tools exactly as a call has them (the same definitions for the model, the same checks
 * of the model's arguments, the same answers), for conversations that are not calls: the prompt
 * playground. Nothing outside the conversation changes: no do-not-call entry, no stored answer, no
 * booked callback, no transfer or hang-up; each outcome says what a call would have done instead.
 */
@Component
public class DryRunTools {

  private final PromptCatalog prompts;
  private final JsonMapper json;
  private final Clock clock;

  DryRunTools(PromptCatalog prompts, JsonMapper json, Clock clock) {
    this.prompts = prompts;
    this.json = json;
    this.clock = clock;
  }

  /** Renders a prompt with the conversation's data, for {@code switch_prompt}. */
  @FunctionalInterface
  public interface PromptRenderer {
    RenderedPrompt render(UUID promptId, int version);
  }

  /**
   * The tools of one conversation.
   *
   * @param conversationId stands in for the call id (logs)
   * @param customerNumber the number a call would be talking to, or null
   */
  public Toolset forConversation(
      UUID organisationId,
      UUID conversationId,
      List<ToolConfig> tools,
      Map<String, String> variables,
      String customerNumber,
      PromptRenderer renderer) {
    CallTools callTools = CallTools.dryRun(tools, prompts, json, clock);
    CallTools.Context context =
        new CallTools.Context(
            organisationId, conversationId, customerNumber, variables, renderer::render);
    return new Toolset(callTools, context);
  }

  /** What a call appends to its agent's rendered prompt (the language instruction), or "". */
  public static String promptSuffix(AgentConfig agent) {
    return CallSetup.languageInstruction(agent);
  }

  /** One conversation's tools. */
  public static final class Toolset {

    private final CallTools tools;
    private final CallTools.Context context;

    private Toolset(CallTools tools, CallTools.Context context) {
      this.tools = tools;
      this.context = context;
    }

    /** The functions the model may call. */
    public List<LlmTool> definitions() {
      return tools.definitions();
    }

    /** Runs one tool call in dry-run mode; never throws. */
    public Outcome run(LlmEvent.ToolCall call) {
      ToolOutcome outcome = tools.run(call, context);
      return new Outcome(
          outcome.resultJson(),
          outcome.ok(),
          outcome.dryRunEffect(),
          ending(outcome.then()),
          outcome.newSystemPrompt(),
          outcome.durationMs());
    }

    private static Ending ending(ToolOutcome.EndAction then) {
      return switch (then) {
        case null -> null;
        case ToolOutcome.EndAction.HangUp hangUp ->
            new Ending("hang_up", hangUp.outcome().wire(), hangUp.farewell());
        case ToolOutcome.EndAction.Transfer transfer ->
            new Ending("transfer", CallOutcome.TRANSFERRED.wire(), transfer.farewell());
      };
    }
  }

  /**
   * What one tool call did in the dry run.
   *
   * @param resultJson what the model is told, as on a call
   * @param ok false when the tool refused the arguments (the model is told why)
   * @param effect what a call would have done; null when the tool refused
   * @param ending how a call would end once the agent's words are spoken, or null to go on
   * @param newSystemPrompt the prompt to speak from now on ({@code switch_prompt}), or null
   */
  public record Outcome(
      String resultJson,
      boolean ok,
      String effect,
      Ending ending,
      String newSystemPrompt,
      long durationMs) {}

  /**
   * How the call would end.
   *
   * @param action {@code hang_up} or {@code transfer}
   * @param outcome the call's outcome, as the API spells it ({@code completed}, {@code opted_out},
   *     {@code transferred})
   * @param farewell what the agent says when the model said nothing itself
   */
  public record Ending(String action, String outcome, String farewell) {}
}
