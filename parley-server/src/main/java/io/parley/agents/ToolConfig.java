package io.parley.agents;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A tool the agent may call during a conversation, as a typed configuration. In JSON the {@code
 * type} property says which: {@code end_call}, {@code switch_prompt}, {@code record_answer}, {@code
 * transfer_call}, {@code opt_out} or {@code schedule_callback}. Each has a {@code description} the
 * model reads to know when to use it; a sensible one is filled in when it is left out.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ToolConfig.EndCall.class, name = "end_call"),
  @JsonSubTypes.Type(value = ToolConfig.SwitchPrompt.class, name = "switch_prompt"),
  @JsonSubTypes.Type(value = ToolConfig.RecordAnswer.class, name = "record_answer"),
  @JsonSubTypes.Type(value = ToolConfig.TransferCall.class, name = "transfer_call"),
  @JsonSubTypes.Type(value = ToolConfig.OptOut.class, name = "opt_out"),
  @JsonSubTypes.Type(value = ToolConfig.ScheduleCallback.class, name = "schedule_callback")
})
public sealed interface ToolConfig {

  /** The text the model reads to decide when to call the tool. */
  String description();

  /** Hangs up once the agent has said its last words. */
  record EndCall(@NotBlank @Size(max = 1000) String description) implements ToolConfig {
    public EndCall {
      description =
          description == null
              ? "End the call when the conversation is finished or the caller wants to hang up."
              : description;
    }
  }

  /**
   * Moves the conversation to another prompt (for example from qualification to booking).
   *
   * @param promptIds the prompts the agent may switch to
   */
  record SwitchPrompt(
      @NotEmpty @Size(max = 20) List<@NotNull UUID> promptIds,
      @NotBlank @Size(max = 1000) String description)
      implements ToolConfig {
    public SwitchPrompt {
      promptIds = copy(promptIds);
      description =
          description == null
              ? "Switch to another script when the conversation moves to its topic."
              : description;
    }
  }

  /**
   * Stores a structured answer the caller gave (a date, a choice, a score) on the call.
   *
   * @param name the tool's function name, unique among the agent's record_answer tools
   * @param schema a JSON Schema (draft 2020-12) the answer must match
   */
  record RecordAnswer(
      @NotBlank
          @Pattern(
              regexp = "[A-Za-z0-9_-]{1,64}",
              message = "must be 1 to 64 letters, digits, '_' or '-'")
          String name,
      @NotBlank @Size(max = 1000) String description,
      @NotNull JsonNode schema)
      implements ToolConfig {
    public RecordAnswer {
      description =
          description == null
              ? "Record the caller's answer to the question just asked."
              : description;
      // A JsonNode is mutable; the configuration must not be.
      schema = schema == null || schema.isNull() ? null : schema.deepCopy();
    }

    @Override
    public JsonNode schema() {
      return schema == null ? null : schema.deepCopy();
    }
  }

  /**
   * Hands the caller to a person or another line.
   *
   * @param targets named destinations the model may choose from
   */
  record TransferCall(
      @NotEmpty @Size(max = 20) List<@NotNull @Valid TransferTarget> targets,
      @NotBlank @Size(max = 1000) String description)
      implements ToolConfig {
    public TransferCall {
      targets = copy(targets);
      description =
          description == null
              ? "Transfer the caller to a person when they ask for one or you cannot help."
              : description;
    }
  }

  /**
   * A transfer destination.
   *
   * @param name what the model calls it ("billing", "supervisor")
   * @param number an E.164 phone number or a {@code sip:} URI
   */
  record TransferTarget(
      @NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 300) String number) {}

  /** Records that the caller asked never to be called again, then ends the call politely. */
  record OptOut(@NotBlank @Size(max = 1000) String description) implements ToolConfig {
    public OptOut {
      description =
          description == null
              ? "Use when the caller asks not to be called again or to be removed from the list."
              : description;
    }
  }

  /**
   * Books a callback when the callee asks to be called back at a time: {@code at} (a local
   * date-time in the callee's zone) and {@code summary} (what to follow up). Campaign calls only;
   * the callback is dialled once, inside the calling hours, with the summary in the prompt's {@code
   * previous_call_summary}.
   */
  record ScheduleCallback(@NotBlank @Size(max = 1000) String description) implements ToolConfig {
    public ScheduleCallback {
      description =
          description == null
              ? "Use when the callee asks to be called back at a particular time. Give the time"
                  + " in their local time, and a short summary of the conversation and what to"
                  + " follow up. Tell them the time the tool says it was booked for."
              : description;
    }
  }

  private static <T> List<T> copy(List<T> list) {
    // Null elements survive so that validation can name them.
    return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
  }
}
