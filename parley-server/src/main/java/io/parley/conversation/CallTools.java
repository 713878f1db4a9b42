package io.parley.conversation;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.parley.agents.ToolConfig;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecords;
import io.parley.compliance.AddedBy;
import io.parley.compliance.DncSource;
import io.parley.compliance.DoNotCallList;
import io.parley.llm.LlmEvent;
import io.parley.llm.LlmTool;
import io.parley.prompts.PromptCatalog;
import io.parley.prompts.RenderedPrompt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's tools for one call: their definitions for the model and their execution. Every tool
 * is limited to what the agent's configuration allows (its prompts, its transfer targets, its
 * answer schemas); anything else, and any failure, becomes an error result the model can read and
 * recover from, never an exception that ends the call. Runs on a helper thread, not the call's
 * loop.
 *
 * <p>In {@link Mode#DRY_RUN} (the prompt playground) every tool checks its arguments exactly as on
 * a call and answers the model as on a call, but changes nothing outside the conversation: no
 * do-not-call entry, no answer stored, no callback booked. What it would have done is described in
 * the outcome's {@code dryRunEffect}. Ending the call (hang-up, opt-out, transfer) is still
 * returned as the outcome's end action, for the playground to show that the call would end there.
 */
final class CallTools {

  private static final Logger log = LoggerFactory.getLogger(CallTools.class);
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  static final String END_CALL = "end_call";
  static final String SWITCH_PROMPT = "switch_prompt";
  static final String TRANSFER_CALL = "transfer_call";
  static final String OPT_OUT = "opt_out";
  static final String SCHEDULE_CALLBACK = "schedule_callback";

  static final String GOODBYE = "Thank you for your time. Goodbye!";
  static final String OPT_OUT_FAREWELL =
      "Understood. I've removed your number from our list, and you won't be called again. Goodbye!";
  static final String TRANSFER_LINE = "One moment please, I'm transferring your call.";

  /** Whether tools act (a call) or only say what they would do (the playground). */
  enum Mode {
    LIVE,
    DRY_RUN
  }

  /** What a tool may touch. */
  record Context(
      UUID organisationId,
      UUID callId,
      String customerNumber,
      Map<String, String> leadVariables,
      PromptRenderer renderer) {}

  /** Renders a prompt for this call (lead variables, zones, agent name already bound). */
  @FunctionalInterface
  interface PromptRenderer {
    RenderedPrompt render(UUID promptId, int version);
  }

  private final List<ToolConfig> configs;
  private final Map<String, Schema> answerSchemas = new HashMap<>();
  private final CallRecords records;
  private final DoNotCallList doNotCall;
  private final PromptCatalog prompts;
  private final CallbackBooking callbacks;
  private final JsonMapper json;
  private final Clock clock;
  private final Mode mode;

  /**
   * @param callbacks books the callee's callback ({@code schedule_callback}); null where no module
   *     offers it (the tool then answers that it is unavailable)
   */
  CallTools(
      List<ToolConfig> configs,
      CallRecords records,
      DoNotCallList doNotCall,
      PromptCatalog prompts,
      CallbackBooking callbacks,
      JsonMapper json,
      Clock clock) {
    this(configs, records, doNotCall, prompts, callbacks, json, clock, Mode.LIVE);
  }

  /** Tools that only describe what they would do: they need no records, list or booking. */
  static CallTools dryRun(
      List<ToolConfig> configs, PromptCatalog prompts, JsonMapper json, Clock clock) {
    return new CallTools(configs, null, null, prompts, null, json, clock, Mode.DRY_RUN);
  }

  private CallTools(
      List<ToolConfig> configs,
      CallRecords records,
      DoNotCallList doNotCall,
      PromptCatalog prompts,
      CallbackBooking callbacks,
      JsonMapper json,
      Clock clock,
      Mode mode) {
    this.mode = mode;
    this.configs = List.copyOf(configs);
    this.records = records;
    this.doNotCall = doNotCall;
    this.prompts = prompts;
    this.callbacks = callbacks;
    this.json = json;
    this.clock = clock;
    for (ToolConfig config : configs) {
      if (config instanceof ToolConfig.RecordAnswer answer && answer.schema() != null) {
        answerSchemas.put(answer.name(), SCHEMAS.getSchema(answer.schema()));
      }
    }
  }

  /** The functions the model may call, one per configured tool. */
  List<LlmTool> definitions() {
    List<LlmTool> tools = new ArrayList<>();
    for (ToolConfig config : configs) {
      tools.add(
          switch (config) {
            case ToolConfig.EndCall end -> new LlmTool(END_CALL, end.description(), noArguments());
            case ToolConfig.OptOut optOut ->
                new LlmTool(OPT_OUT, optOut.description(), noArguments());
            case ToolConfig.ScheduleCallback callback ->
                new LlmTool(SCHEDULE_CALLBACK, callback.description(), CALLBACK_ARGUMENTS);
            case ToolConfig.RecordAnswer answer ->
                new LlmTool(answer.name(), answer.description(), answer.schema().toString());
            case ToolConfig.SwitchPrompt sw ->
                new LlmTool(
                    SWITCH_PROMPT,
                    sw.description(),
                    oneOf("prompt_id", sw.promptIds().stream().map(UUID::toString).toList()));
            case ToolConfig.TransferCall transfer ->
                new LlmTool(
                    TRANSFER_CALL,
                    transfer.description(),
                    oneOf(
                        "target",
                        transfer.targets().stream().map(ToolConfig.TransferTarget::name).toList()));
          });
    }
    return tools;
  }

  /** Runs one tool call; never throws. */
  ToolOutcome run(LlmEvent.ToolCall call, Context context) {
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    Result result;
    try {
      result = execute(call, context);
    } catch (RuntimeException e) {
      log.warn("Tool {} failed on call {}: {}", call.name(), context.callId(), e.toString());
      result = Result.error("The tool failed: " + e.getClass().getSimpleName());
    }
    long durationMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    return new ToolOutcome(
        call,
        result.json,
        result.ok,
        started,
        durationMs,
        result.then,
        result.newPrompt,
        result.dryRunEffect);
  }

  private record Result(
      String json, boolean ok, ToolOutcome.EndAction then, String newPrompt, String dryRunEffect) {
    static Result error(String message) {
      return new Result("{\"ok\":false,\"error\":" + quote(message) + "}", false, null, null, null);
    }

    static Result ok(String detail, ToolOutcome.EndAction then, String newPrompt) {
      return new Result(
          "{\"ok\":true" + (detail == null ? "" : ",\"detail\":" + quote(detail)) + "}",
          true,
          then,
          newPrompt,
          null);
    }

    /** The same answer, noting what a call would have done instead of doing it. */
    Result wouldHave(String effect) {
      return new Result(json, ok, then, newPrompt, effect);
    }
  }

  private boolean dry() {
    return mode == Mode.DRY_RUN;
  }

  private Result execute(LlmEvent.ToolCall call, Context context) {
    ObjectNode arguments;
    try {
      JsonNode parsed = json.readTree(call.argumentsJson());
      if (!(parsed instanceof ObjectNode object)) {
        return Result.error("Arguments must be a JSON object.");
      }
      arguments = object;
    } catch (RuntimeException e) {
      return Result.error("Arguments are not valid JSON.");
    }
    Optional<ToolConfig> config = find(call.name());
    if (config.isEmpty()) {
      return Result.error("There is no tool named " + call.name() + ".");
    }
    return switch (config.get()) {
      case ToolConfig.EndCall end -> {
        Result ended =
            Result.ok(
                null,
                new ToolOutcome.EndAction.HangUp(
                    CallOutcome.COMPLETED, "the agent ended the call", GOODBYE),
                null);
        yield dry() ? ended.wouldHave("would hang up (outcome completed)") : ended;
      }
      case ToolConfig.OptOut optOut -> optOut(context);
      case ToolConfig.ScheduleCallback callback -> scheduleCallback(arguments, context);
      case ToolConfig.RecordAnswer answer -> recordAnswer(answer, arguments, context);
      case ToolConfig.SwitchPrompt sw -> switchPrompt(sw, arguments, context);
      case ToolConfig.TransferCall transfer -> transfer(transfer, arguments);
    };
  }

  private Optional<ToolConfig> find(String name) {
    for (ToolConfig config : configs) {
      String toolName =
          switch (config) {
            case ToolConfig.EndCall e -> END_CALL;
            case ToolConfig.OptOut o -> OPT_OUT;
            case ToolConfig.ScheduleCallback c -> SCHEDULE_CALLBACK;
            case ToolConfig.RecordAnswer a -> a.name();
            case ToolConfig.SwitchPrompt s -> SWITCH_PROMPT;
            case ToolConfig.TransferCall t -> TRANSFER_CALL;
          };
      if (toolName.equals(name)) {
        return Optional.of(config);
      }
    }
    return Optional.empty();
  }

  private Result optOut(Context context) {
    if (dry()) {
      String number =
          context.customerNumber() == null ? "the caller's number" : context.customerNumber();
      return optedOut()
          .wouldHave(
              "would add " + number + " to the do-not-call list and hang up (outcome opted_out)");
    }
    if (context.customerNumber() == null || !context.customerNumber().startsWith("+")) {
      return Result.error("The caller's number is unknown, so it cannot be put on the list.");
    }
    doNotCall.add(
        context.organisationId(),
        context.customerNumber(),
        DncSource.OPT_OUT_CALL,
        "asked during call " + context.callId(),
        new AddedBy.Call(context.callId()));
    return optedOut();
  }

  private static Result optedOut() {
    return Result.ok(
        "The number is on the do-not-call list.",
        new ToolOutcome.EndAction.HangUp(
            CallOutcome.OPTED_OUT, "the caller asked not to be called again", OPT_OUT_FAREWELL),
        null);
  }

  /** The arguments of {@code schedule_callback}, as the model reads them. */
  static final String CALLBACK_ARGUMENTS =
      "{\"type\":\"object\",\"properties\":{"
          + "\"at\":{\"type\":\"string\",\"description\":\"When to call back, in the callee's"
          + " local time: YYYY-MM-DDTHH:MM, e.g. 2026-12-08T15:00\"},"
          + "\"summary\":{\"type\":\"string\",\"description\":\"What was discussed and what"
          + " to follow up on the callback (at most 2000 characters)\"}},"
          + "\"required\":[\"at\",\"summary\"]}";

  private static final java.time.format.DateTimeFormatter SPOKEN =
      java.time.format.DateTimeFormatter.ofPattern("EEEE d MMMM uuuu 'at' HH:mm", Locale.ENGLISH);

  private Result scheduleCallback(ObjectNode arguments, Context context) {
    JsonNode at = arguments.get("at");
    JsonNode summary = arguments.get("summary");
    if (at == null || !at.isString()) {
      return Result.error("at is required: the local date and time, such as 2026-12-08T15:00.");
    }
    if (dry()) {
      return dryCallback(at.asString(), summary);
    }
    if (callbacks == null) {
      return Result.error("Callbacks cannot be booked here.");
    }
    CallbackBooking.Outcome outcome =
        callbacks.book(
            context.organisationId(),
            context.callId(),
            at.asString(),
            summary != null && summary.isString() ? summary.asString() : null);
    return switch (outcome) {
      case CallbackBooking.Outcome.Refused refused -> Result.error(refused.reason());
      case CallbackBooking.Outcome.Booked booked ->
          Result.ok(
              booked.moved()
                  ? "The time asked for, "
                      + spoken(booked.requestedFor())
                      + ", is outside the hours we may call. The callback is booked for the"
                      + " next allowed time instead: "
                      + spoken(booked.dueLocal())
                      + " ("
                      + booked.timeZone()
                      + "). Tell the callee."
                  : "The callback is booked for "
                      + spoken(booked.dueLocal())
                      + " ("
                      + booked.timeZone()
                      + ").",
              null,
              null);
    };
  }

  /**
   * A callback in the playground: the time is read as a call reads it, but nothing is booked and no
   * calling window applies (there is no lead whose zone and rules would move it).
   */
  private static Result dryCallback(String at, JsonNode summary) {
    String local;
    try {
      local = java.time.LocalDateTime.parse(at.strip()).toString();
    } catch (java.time.format.DateTimeParseException notLocal) {
      try {
        local = java.time.OffsetDateTime.parse(at.strip()).toLocalDateTime().toString();
      } catch (java.time.format.DateTimeParseException notOffset) {
        return Result.error("at must be a date and time such as 2026-12-08T15:00.");
      }
    }
    String about = summary != null && summary.isString() ? summary.asString().strip() : "";
    return Result.ok("The callback is booked for " + spoken(local) + ".", null, null)
        .wouldHave(
            "would book a callback for "
                + local
                + (about.isEmpty() ? "" : " (" + about + ")")
                + "; no calling window was checked");
  }

  private static String spoken(String localDateTime) {
    return SPOKEN.format(java.time.LocalDateTime.parse(localDateTime));
  }

  private Result recordAnswer(ToolConfig.RecordAnswer answer, ObjectNode arguments, Context ctx) {
    Schema schema = answerSchemas.get(answer.name());
    if (schema != null) {
      List<Error> errors = schema.validate(arguments);
      if (!errors.isEmpty()) {
        Error first = errors.getFirst();
        return Result.error(
            "The answer does not match the expected shape: "
                + first.getInstanceLocation()
                + " "
                + first.getMessage());
      }
    }
    ObjectNode stored = json.createObjectNode();
    stored.set(answer.name(), arguments);
    if (dry()) {
      return Result.ok("Recorded.", null, null)
          .wouldHave("would record " + json.writeValueAsString(stored) + " on the call");
    }
    records.recordAnswer(ctx.callId(), json.writeValueAsString(stored));
    return Result.ok("Recorded.", null, null);
  }

  private Result switchPrompt(ToolConfig.SwitchPrompt sw, ObjectNode arguments, Context ctx) {
    JsonNode id = arguments.get("prompt_id");
    UUID promptId;
    try {
      promptId = id == null ? null : UUID.fromString(id.asString());
    } catch (IllegalArgumentException e) {
      promptId = null;
    }
    if (promptId == null || !sw.promptIds().contains(promptId)) {
      return Result.error("prompt_id must be one of " + sw.promptIds());
    }
    Optional<Integer> version = prompts.currentVersion(ctx.organisationId(), promptId);
    if (version.isEmpty()) {
      return Result.error("That prompt no longer exists.");
    }
    RenderedPrompt rendered = ctx.renderer().render(promptId, version.get());
    // Switching only changes this conversation's instructions, so the playground really does it.
    Result switched = Result.ok("Switched to prompt " + promptId + ".", null, rendered.text());
    return dry()
        ? switched.wouldHave("switched to prompt " + promptId + " version " + version.get())
        : switched;
  }

  private Result transfer(ToolConfig.TransferCall transfer, ObjectNode arguments) {
    JsonNode target = arguments.get("target");
    String wanted = target == null ? "" : target.asString().strip().toLowerCase(Locale.ROOT);
    for (ToolConfig.TransferTarget candidate : transfer.targets()) {
      if (candidate.name().toLowerCase(Locale.ROOT).equals(wanted)) {
        Result transferring =
            Result.ok(
                "Transferring to " + candidate.name() + ".",
                new ToolOutcome.EndAction.Transfer(
                    candidate.number(), candidate.name(), TRANSFER_LINE),
                null);
        return dry()
            ? transferring.wouldHave(
                "would transfer the call to " + candidate.name() + " (" + candidate.number() + ")")
            : transferring;
      }
    }
    return Result.error(
        "target must be one of "
            + transfer.targets().stream().map(ToolConfig.TransferTarget::name).toList());
  }

  private static String noArguments() {
    return "{\"type\":\"object\",\"properties\":{}}";
  }

  private static String oneOf(String field, List<String> values) {
    StringBuilder out = new StringBuilder("{\"type\":\"object\",\"properties\":{");
    out.append(quote(field)).append(":{\"type\":\"string\",\"enum\":[");
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : ",").append(quote(values.get(i)));
    }
    return out.append("]}},\"required\":[").append(quote(field)).append("]}").toString();
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
