package io.parley.dialing;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.parley.shared.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /api/calls}, read field by field so that every problem is reported at
 * once under the field's name (422) rather than as a generic conversion error.
 *
 * @param agentId the agent that speaks
 * @param to the callee in E.164 form
 * @param variables the lead's values for the prompt's variables (never null)
 * @param timeZone the callee's IANA zone when the caller knows it, or null
 * @param amd overrides of the agent's answering-machine detection, or null
 * @param ringTimeoutSeconds how long to ring, or null for the default
 */
record DialRequest(
    UUID agentId,
    String to,
    Map<String, String> variables,
    String timeZone,
    AmdOverride amd,
    Integer ringTimeoutSeconds) {

  /** Ringing shorter than 15 s breaks the TSR/FCC abandonment safe harbour (15 s or 4 rings). */
  static final int MIN_RING_SECONDS = 15;

  /** Twilio's maximum. */
  static final int MAX_RING_SECONDS = 600;

  private static final Set<String> FIELDS =
      Set.of("agentId", "to", "variables", "timeZone", "amd", "ringTimeoutSeconds");
  private static final Set<String> AMD_MODES = Set.of("off", "enable", "detect_message_end");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

  /**
   * @param mode {@code off}, {@code enable} or {@code detect_message_end}, or null to keep the
   *     agent's
   * @param async true to detect while the call runs, or null to keep the agent's
   */
  record AmdOverride(String mode, Boolean async) {}

  static DialRequest parse(ObjectNode body) {
    Map<String, String> errors = new LinkedHashMap<>();
    if (body == null) {
      throw new InvalidInputException("body", "is required: a JSON object");
    }
    for (String name : body.propertyNames()) {
      if (!FIELDS.contains(name)) {
        errors.put(name, "is not a field of a call request");
      }
    }
    UUID agentId = null;
    JsonNode agent = body.get("agentId");
    if (agent == null || agent.isNull()) {
      errors.put("agentId", "is required");
    } else {
      try {
        agentId = UUID.fromString(agent.isString() ? agent.asString() : "");
      } catch (IllegalArgumentException e) {
        errors.put("agentId", "must be an agent id (UUID)");
      }
    }
    String to = null;
    JsonNode toNode = body.get("to");
    if (toNode == null || toNode.isNull()) {
      errors.put("to", "is required: the number to call in E.164 form, e.g. +14155550123");
    } else if (!toNode.isString() || !isE164(toNode.asString())) {
      errors.put(
          "to",
          "must be a valid phone number in E.164 form: + and the country code, e.g."
              + " +14155550123");
    } else {
      to = toNode.asString();
    }
    Map<String, String> variables = new LinkedHashMap<>();
    JsonNode vars = body.get("variables");
    if (vars != null && !vars.isNull()) {
      if (!vars.isObject()) {
        errors.put("variables", "must be an object of names to values");
      } else {
        for (Map.Entry<String, JsonNode> entry : vars.properties()) {
          JsonNode value = entry.getValue();
          if (value.isString() || value.isNumber() || value.isBoolean()) {
            variables.put(entry.getKey(), value.asString());
          } else if (!value.isNull()) {
            errors.put("variables." + entry.getKey(), "must be text, a number or true/false");
          }
        }
      }
    }
    String timeZone = null;
    JsonNode zone = body.get("timeZone");
    if (zone != null && !zone.isNull()) {
      if (!zone.isString() || zone.asString().isBlank()) {
        errors.put("timeZone", "must be an IANA time zone name such as America/New_York");
      } else {
        timeZone = zone.asString().strip();
      }
    }
    AmdOverride amd = null;
    JsonNode amdNode = body.get("amd");
    if (amdNode != null && !amdNode.isNull()) {
      if (!amdNode.isObject()) {
        errors.put("amd", "must be an object: {mode, async}");
      } else {
        String mode = null;
        Boolean async = null;
        for (String name : amdNode.propertyNames()) {
          if (!name.equals("mode") && !name.equals("async")) {
            errors.put("amd." + name, "is not a field of amd (mode, async)");
          }
        }
        JsonNode modeNode = amdNode.get("mode");
        if (modeNode != null && !modeNode.isNull()) {
          if (modeNode.isString() && AMD_MODES.contains(modeNode.asString())) {
            mode = modeNode.asString();
          } else {
            errors.put("amd.mode", "must be off, enable or detect_message_end");
          }
        }
        JsonNode asyncNode = amdNode.get("async");
        if (asyncNode != null && !asyncNode.isNull()) {
          if (asyncNode.isBoolean()) {
            async = asyncNode.booleanValue();
          } else {
            errors.put("amd.async", "must be true or false");
          }
        }
        amd = new AmdOverride(mode, async);
      }
    }
    Integer ring = null;
    JsonNode ringNode = body.get("ringTimeoutSeconds");
    if (ringNode != null && !ringNode.isNull()) {
      if (ringNode.isIntegralNumber()
          && ringNode.canConvertToInt()
          && ringNode.intValue() >= MIN_RING_SECONDS
          && ringNode.intValue() <= MAX_RING_SECONDS) {
        ring = ringNode.intValue();
      } else {
        errors.put(
            "ringTimeoutSeconds",
            "must be a whole number of seconds from "
                + MIN_RING_SECONDS
                + " (the abandonment safe harbour) to "
                + MAX_RING_SECONDS);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new DialRequest(agentId, to, variables, timeZone, amd, ring);
  }

  /** Strict E.164 that libphonenumber also accepts as a valid number for its country. */
  static boolean isE164(String text) {
    if (!E164.matcher(text).matches()) {
      return false;
    }
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    try {
      return util.isValidNumber(util.parse(text, "ZZ"));
    } catch (NumberParseException e) {
      return false;
    }
  }
}
