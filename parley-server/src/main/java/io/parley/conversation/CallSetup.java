package io.parley.conversation;

import io.parley.agents.AgentConfig;
import io.parley.agents.VoiceConfig;
import io.parley.calls.CallDirection;
import io.parley.calls.CallRecord;
import io.parley.prompts.PromptCatalog;
import io.parley.prompts.RenderInput;
import io.parley.prompts.RenderedPrompt;
import io.parley.shared.InvalidInputException;
import io.parley.stt.SttSpec;
import io.parley.tts.VoiceSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a call record and its agent snapshot into what the providers need: the system prompt, the
 * recognition and voice settings, the barge-in rule. "Always answer in this language" sets all
 * three (recognition language, the voice's language and an instruction to the model).
 */
final class CallSetup {

  private final CallRecord call;
  private final AgentConfig agent;
  private final PromptCatalog prompts;
  private final Map<String, String> leadVariables;

  CallSetup(CallRecord call, AgentConfig agent, PromptCatalog prompts, JsonMapper json) {
    this.call = call;
    this.agent = agent;
    this.prompts = prompts;
    this.leadVariables = variables(call.leadVariablesJson(), json);
  }

  Map<String, String> leadVariables() {
    return leadVariables;
  }

  /** The person on the other end: the caller of an inbound call, the callee of an outbound one. */
  String customerNumber() {
    return call.direction() == CallDirection.INBOUND ? call.fromNumber() : call.toNumber();
  }

  /** The call's prompt version, rendered, plus the language instruction. */
  String systemPrompt() {
    Integer version = call.promptVersion();
    if (call.promptId() == null || version == null) {
      throw new IllegalStateException("Call " + call.id() + " has no prompt version");
    }
    return render(call.promptId(), version).text() + languageInstruction();
  }

  /**
   * Renders a prompt with the lead's values. An inbound caller brings no lead, so a variable the
   * prompt requires but nobody supplied is rendered empty rather than refusing the call.
   */
  RenderedPrompt render(UUID promptId, int version) {
    RenderInput input = input(leadVariables);
    try {
      return prompts.render(call.organisationId(), promptId, version, input);
    } catch (InvalidInputException e) {
      Map<String, String> filled = new LinkedHashMap<>(leadVariables);
      e.fieldErrors().keySet().stream()
          .filter(field -> field.startsWith("variables."))
          .forEach(field -> filled.putIfAbsent(field.substring("variables.".length()), ""));
      return prompts.render(call.organisationId(), promptId, version, input(filled));
    }
  }

  private RenderInput input(Map<String, String> variables) {
    return new RenderInput(
        variables,
        variables.get("timezone"),
        agent.name(),
        agent.timeZone(),
        e164OrNull(call.fromNumber()),
        e164OrNull(call.toNumber()));
  }

  String languageInstruction() {
    return languageInstruction(agent);
  }

  /** Appended to the system prompt of an agent that always answers in its language. */
  static String languageInstruction(AgentConfig agent) {
    if (!agent.alwaysAnswerInLanguage()) {
      return "";
    }
    Locale locale = Locale.forLanguageTag(agent.language());
    return "\n\nAlways answer in "
        + locale.getDisplayLanguage(Locale.ENGLISH)
        + ", whatever language the caller speaks.";
  }

  SttSpec sttSpec(String callSid) {
    return SttSpec.forCall(callSid)
        .withProvider(agent.stt().provider())
        .withModel(agent.stt().model())
        .withLanguage(agent.language())
        .withTurnTaking(agent.turnTaking().endpointingMs(), agent.turnTaking().utteranceEndMs());
  }

  VoiceSpec voiceSpec() {
    String language =
        agent.alwaysAnswerInLanguage()
            ? Locale.forLanguageTag(agent.language()).getLanguage()
            : null;
    return new VoiceSpec(voice(agent.voice()), voice(agent.fallbackVoice()), language);
  }

  BargeInRule.Settings bargeInSettings() {
    return new BargeInRule.Settings(
        agent.turnTaking().bargeInMinWords(),
        agent.turnTaking().bargeInMinSpeechMs(),
        agent.turnTaking().backchannels());
  }

  /** A verdict the agent may talk to: a person, or detection could not tell. */
  static boolean human(String answeredBy) {
    return !(answeredBy.startsWith("machine") || answeredBy.equals("fax"));
  }

  private static VoiceSpec.Voice voice(VoiceConfig config) {
    return config == null
        ? null
        : new VoiceSpec.Voice(config.provider(), config.voiceId(), config.model());
  }

  private static String e164OrNull(String number) {
    return number != null && number.matches("\\+[1-9][0-9]{6,14}") ? number : null;
  }

  private static Map<String, String> variables(String jsonObject, JsonMapper json) {
    Map<String, String> variables = new LinkedHashMap<>();
    if (jsonObject == null || jsonObject.isBlank()) {
      return variables;
    }
    JsonNode tree = json.readTree(jsonObject);
    for (Map.Entry<String, JsonNode> field : tree.properties()) {
      JsonNode value = field.getValue();
      variables.put(field.getKey(), value.isString() ? value.asString() : value.toString());
    }
    return variables;
  }
}
