package io.parley.agents;

import io.parley.prompts.PromptCatalog;
import io.parley.providers.ProviderKind;
import io.parley.providers.ProviderRegistry;
import io.parley.shared.InvalidInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Every rule an agent configuration must satisfy: the field constraints declared on the records
 * plus the rules that need other features (prompts, providers) or look across fields. All problems
 * are reported together, each under the JSON path of its field.
 */
@Component
class AgentValidator {

  /** Function names the model sees for the fixed tools; record_answer names may not reuse them. */
  private static final Set<String> FIXED_TOOL_NAMES =
      Set.of("end_call", "switch_prompt", "transfer_call", "opt_out", "schedule_callback");

  private final Validator validator;
  private final PromptCatalog prompts;
  private final ProviderRegistry providers;
  private final JsonSchemaCheck schemas;

  AgentValidator(
      Validator validator,
      PromptCatalog prompts,
      ProviderRegistry providers,
      JsonSchemaCheck schemas) {
    this.validator = validator;
    this.prompts = prompts;
    this.providers = providers;
    this.schemas = schemas;
  }

  /** Throws {@link InvalidInputException} listing every problem, or returns quietly. */
  void validate(UUID organisationId, AgentConfig agent) {
    Map<String, String> errors = new LinkedHashMap<>();
    for (ConstraintViolation<AgentConfig> violation : validator.validate(agent)) {
      errors.putIfAbsent(fieldPath(violation), violation.getMessage());
    }
    checkPrompt(organisationId, agent, errors);
    checkProviders(agent, errors);
    checkLanguageAndZone(agent, errors);
    if (agent.twilioNumber() != null && !PhoneNumbers.isE164(agent.twilioNumber())) {
      errors.putIfAbsent(
          "twilioNumber", "must be a valid phone number in E.164 form, e.g. +14155550123");
    }
    if (agent.voicemail() != null
        && agent.voicemail().message() != null
        && !agent.voicemail().message().isBlank()) {
      VoicemailRules.problem(agent.voicemail().message())
          .ifPresent(problem -> errors.putIfAbsent("voicemail.message", problem));
    }
    checkTools(organisationId, agent.tools(), errors);
    checkAnalysis(agent.analysis(), errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private void checkPrompt(UUID organisationId, AgentConfig agent, Map<String, String> errors) {
    if (agent.promptId() == null) {
      return;
    }
    if (!prompts.exists(organisationId, agent.promptId())) {
      errors.putIfAbsent("promptId", "no such prompt");
      return;
    }
    Integer pinned = agent.promptVersion().number();
    if (pinned != null && pinned < 1) {
      errors.putIfAbsent("promptVersion", "must be 1 or more, or \"latest\"");
    } else if (pinned != null && !prompts.hasVersion(organisationId, agent.promptId(), pinned)) {
      errors.putIfAbsent("promptVersion", "the prompt has no version " + pinned);
    }
  }

  private void checkProviders(AgentConfig agent, Map<String, String> errors) {
    if (agent.llm() != null) {
      known(ProviderKind.LLM, agent.llm().provider(), "llm.provider", errors);
    }
    if (agent.stt() != null) {
      known(ProviderKind.STT, agent.stt().provider(), "stt.provider", errors);
    }
    if (agent.voice() != null) {
      known(ProviderKind.TTS, agent.voice().provider(), "voice.provider", errors);
    }
    if (agent.fallbackVoice() != null) {
      known(ProviderKind.TTS, agent.fallbackVoice().provider(), "fallbackVoice.provider", errors);
      if (agent.voice() != null
          && agent.fallbackVoice().provider() != null
          && agent.fallbackVoice().provider().equals(agent.voice().provider())) {
        errors.putIfAbsent(
            "fallbackVoice.provider", "must be another provider than the main voice's");
      }
    }
  }

  private void known(ProviderKind kind, String id, String field, Map<String, String> errors) {
    if (id != null && !id.isBlank() && !providers.isKnown(kind, id)) {
      errors.putIfAbsent(
          field,
          "unknown "
              + kind.name().toLowerCase(Locale.ROOT)
              + " provider; known: "
              + String.join(", ", providers.ids(kind)));
    }
  }

  private static void checkLanguageAndZone(AgentConfig agent, Map<String, String> errors) {
    String language = agent.language();
    if (language != null && !language.isBlank() && !isLanguageTag(language)) {
      errors.putIfAbsent("language", "must be a BCP-47 language tag such as en-US or hi-IN");
    }
    String zone = agent.timeZone();
    if (zone != null && !ZoneId.getAvailableZoneIds().contains(zone)) {
      errors.putIfAbsent("timeZone", "must be an IANA time zone such as Asia/Kolkata");
    }
  }

  private static boolean isLanguageTag(String tag) {
    try {
      Locale locale = new Locale.Builder().setLanguageTag(tag).build();
      return !locale.getLanguage().isEmpty();
    } catch (IllformedLocaleException e) {
      return false;
    }
  }

  private void checkTools(UUID organisationId, List<ToolConfig> tools, Map<String, String> errors) {
    Set<Class<?>> singleTypes = new HashSet<>();
    Set<String> answerNames = new HashSet<>();
    for (int i = 0; i < tools.size(); i++) {
      String field = "tools[" + i + "]";
      ToolConfig tool = tools.get(i);
      if (tool == null) {
        continue;
      }
      if (!(tool instanceof ToolConfig.RecordAnswer) && !singleTypes.add(tool.getClass())) {
        errors.putIfAbsent(field + ".type", "this tool type is already configured");
      }
      switch (tool) {
        case ToolConfig.RecordAnswer answer -> {
          if (answer.name() != null && FIXED_TOOL_NAMES.contains(answer.name())) {
            errors.putIfAbsent(field + ".name", "is reserved for the " + answer.name() + " tool");
          } else if (answer.name() != null && !answerNames.add(answer.name())) {
            errors.putIfAbsent(field + ".name", "another record_answer tool has this name");
          }
          if (answer.schema() != null) {
            schemas
                .problem(answer.schema())
                .ifPresent(p -> errors.putIfAbsent(field + ".schema", p));
          }
        }
        case ToolConfig.SwitchPrompt switchPrompt ->
            checkSwitchTargets(organisationId, switchPrompt, field, errors);
        case ToolConfig.TransferCall transfer -> checkTransferTargets(transfer, field, errors);
        case ToolConfig.EndCall endCall -> {}
        case ToolConfig.OptOut optOut -> {}
        case ToolConfig.ScheduleCallback callback -> {}
      }
    }
  }

  private void checkSwitchTargets(
      UUID organisationId, ToolConfig.SwitchPrompt tool, String field, Map<String, String> errors) {
    if (tool.promptIds() == null) {
      return;
    }
    Set<UUID> seen = new HashSet<>();
    for (int j = 0; j < tool.promptIds().size(); j++) {
      UUID promptId = tool.promptIds().get(j);
      String target = field + ".promptIds[" + j + "]";
      if (promptId == null) {
        continue;
      }
      if (!seen.add(promptId)) {
        errors.putIfAbsent(target, "is listed twice");
      } else if (!prompts.exists(organisationId, promptId)) {
        errors.putIfAbsent(target, "no such prompt");
      }
    }
  }

  private static void checkTransferTargets(
      ToolConfig.TransferCall tool, String field, Map<String, String> errors) {
    if (tool.targets() == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (int j = 0; j < tool.targets().size(); j++) {
      ToolConfig.TransferTarget target = tool.targets().get(j);
      String path = field + ".targets[" + j + "]";
      if (target == null) {
        continue;
      }
      if (target.name() != null && !names.add(target.name().strip().toLowerCase(Locale.ROOT))) {
        errors.putIfAbsent(path + ".name", "another target has this name");
      }
      String number = target.number();
      if (number != null
          && !number.isBlank()
          && !PhoneNumbers.isE164(number)
          && !PhoneNumbers.isSipUri(number)) {
        errors.putIfAbsent(path + ".number", "must be an E.164 phone number or a sip: URI");
      }
    }
  }

  /** Categories the model can tell apart, and a schema whose answer is a JSON object. */
  private void checkAnalysis(AnalysisConfig analysis, Map<String, String> errors) {
    if (analysis == null || analysis.categories() == null) {
      return;
    }
    Set<String> categories = new HashSet<>();
    for (int i = 0; i < analysis.categories().size(); i++) {
      String category = analysis.categories().get(i);
      if (category != null && !categories.add(category.strip().toLowerCase(Locale.ROOT))) {
        errors.putIfAbsent("analysis.categories[" + i + "]", "is listed twice");
      }
    }
    if (analysis.schema() != null) {
      schemas
          .problem(analysis.schema())
          .or(
              () ->
                  analysis.schema().path("type").asString("").equals("object")
                      ? Optional.empty()
                      : Optional.of("must describe an object (\"type\": \"object\")"))
          .ifPresent(p -> errors.putIfAbsent("analysis.schema", p));
    }
  }

  /** {@code tools[1].targets[0].number}, without the validator's container-element markers. */
  private static String fieldPath(ConstraintViolation<?> violation) {
    return violation.getPropertyPath().toString().replaceAll("\\.<[^>]+>", "");
  }
}
