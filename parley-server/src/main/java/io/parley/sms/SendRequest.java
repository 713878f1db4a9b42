package io.parley.sms;

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
 * The body of {@code POST /api/messages}, read field by field so that every problem is reported at
 * once under the field's name (422).
 *
 * @param agentId the agent whose number sends the text
 * @param to the recipient in E.164 form
 * @param body the text, 1 to 1600 characters (Twilio's limit)
 * @param timeZone the recipient's IANA zone when known, or null (it narrows the window, never
 *     widens it)
 */
record SendRequest(UUID agentId, String to, String body, String timeZone) {

  /** Twilio refuses longer bodies (error 21617). */
  static final int MAX_BODY = 1600;

  private static final Set<String> FIELDS = Set.of("agentId", "to", "body", "timeZone");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

  static SendRequest parse(ObjectNode json) {
    if (json == null) {
      throw new InvalidInputException("body", "is required: a JSON object");
    }
    Map<String, String> errors = new LinkedHashMap<>();
    for (String name : json.propertyNames()) {
      if (!FIELDS.contains(name)) {
        errors.put(name, "is not a field of a message (agentId, to, body, timeZone)");
      }
    }
    UUID agentId = null;
    JsonNode agent = json.get("agentId");
    if (agent == null || agent.isNull()) {
      errors.put("agentId", "is required: the agent whose number sends the text");
    } else {
      try {
        agentId = UUID.fromString(agent.isString() ? agent.asString() : "");
      } catch (IllegalArgumentException e) {
        errors.put("agentId", "must be an agent id (UUID)");
      }
    }
    String to = null;
    JsonNode toNode = json.get("to");
    if (toNode == null || toNode.isNull()) {
      errors.put("to", "is required: the recipient in E.164 form, e.g. +14155550123");
    } else if (!toNode.isString() || !isE164(toNode.asString())) {
      errors.put(
          "to",
          "must be a valid phone number in E.164 form: + and the country code, e.g."
              + " +14155550123");
    } else {
      to = toNode.asString();
    }
    String text = null;
    JsonNode bodyNode = json.get("body");
    if (bodyNode == null || bodyNode.isNull()) {
      errors.put("body", "is required: the text to send");
    } else if (!bodyNode.isString() || bodyNode.asString().isBlank()) {
      errors.put("body", "must be text, not blank");
    } else if (bodyNode.asString().length() > MAX_BODY) {
      errors.put("body", "must be at most " + MAX_BODY + " characters (Twilio's limit)");
    } else {
      text = bodyNode.asString();
    }
    String timeZone = null;
    JsonNode zone = json.get("timeZone");
    if (zone != null && !zone.isNull()) {
      if (!zone.isString() || zone.asString().isBlank()) {
        errors.put("timeZone", "must be an IANA time zone name such as America/New_York");
      } else {
        timeZone = zone.asString().strip();
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new SendRequest(agentId, to, text, timeZone);
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
