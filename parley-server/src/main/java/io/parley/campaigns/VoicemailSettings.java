package io.parley.campaigns;

import io.parley.agents.VoicemailRules;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The message a campaign's calls leave on an answering machine, instead of the agent's own: spoken
 * after the greeting's beep when the campaign's {@code amdMode} is {@code detect_message_end} and
 * the agent detects asynchronously. It must name the seller (which Parley cannot check) and give a
 * call-back number (checked: {@link VoicemailRules}).
 *
 * @param message what is left, spoken in the agent's voice with the lead's values in its {@code
 *     {{name}}} placeholders
 */
public record VoicemailSettings(String message) {

  static final int MAX_MESSAGE = 1000;

  private static final Set<String> FIELDS = Set.of("message");

  /** Reads the setting; null when it is left out (the agent's message, if any, applies). */
  static VoicemailSettings parse(JsonNode node, String prefix, Map<String, String> errors) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      errors.put(prefix, "must be an object: {message}");
      return null;
    }
    ObjectNode body = (ObjectNode) node;
    for (String name : body.propertyNames()) {
      if (!FIELDS.contains(name)) {
        errors.put(prefix + "." + name, "is not a voicemail setting (message)");
      }
    }
    JsonNode text = body.get("message");
    if (text == null || text.isNull() || !text.isString() || text.asString().isBlank()) {
      errors.put(prefix + ".message", "must be a non-empty message to speak");
      return null;
    }
    if (text.asString().strip().length() > MAX_MESSAGE) {
      errors.put(prefix + ".message", "must be at most " + MAX_MESSAGE + " characters");
      return null;
    }
    var problem = VoicemailRules.problem(text.asString());
    if (problem.isPresent()) {
      errors.put(prefix + ".message", problem.get());
      return null;
    }
    return new VoicemailSettings(text.asString().strip());
  }
}
