package io.parley.campaigns;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a campaign dials. Stored as one JSON document ({@code campaign.settings}); read field by
 * field so that every problem is reported at once under its JSON path (422).
 *
 * @param purpose informational or telemarketing
 * @param agentId the agent that speaks
 * @param promptVersion the prompt version pinned for every call, or null for the agent's latest
 * @param callerId the number calls come from (E.164), or null for the agent's own number
 * @param defaultRegion the ISO 3166 region numbers without a country code are read in ({@code US})
 * @param amdMode answering-machine detection: {@code off}, {@code enable} or {@code
 *     detect_message_end}
 * @param ringTimeoutSeconds how long a call rings before it counts as no-answer (15 s at least: the
 *     TSR/FCC abandonment safe harbour)
 * @param maxConcurrentCalls the campaign's calls in progress at once, at most
 * @param callsPerSecond the campaign's new calls per second, at most
 * @param requireConsent whether a lead needs a consent record to be dialled (always for
 *     telemarketing unless turned off; off by default for informational calls)
 * @param maxAttempts the attempts any one lead may have, whatever their outcomes
 * @param retry when an attempt that reached nobody is tried again
 * @param callingHours the campaign's hours per weekday ({@code monday} … {@code sunday} to {@code
 *     HH:mm-HH:mm} or {@code closed}); a day not named keeps the global window
 * @param stateHours hours for numbers of a US state ({@code FL} to {@code 08:00-20:00})
 * @param holidays dates (in the lead's local time) with no calls
 * @param abandonment the drop-rate limits and the safe-harbour message
 * @param voicemail the message left on answering machines instead of the agent's, or null
 */
public record CampaignSettings(
    CampaignPurpose purpose,
    UUID agentId,
    Integer promptVersion,
    String callerId,
    String defaultRegion,
    String amdMode,
    int ringTimeoutSeconds,
    int maxConcurrentCalls,
    BigDecimal callsPerSecond,
    boolean requireConsent,
    int maxAttempts,
    RetryPolicy retry,
    Map<String, String> callingHours,
    Map<String, String> stateHours,
    List<String> holidays,
    AbandonmentSettings abandonment,
    VoicemailSettings voicemail) {

  // Settings stored before a field existed read as its default.
  public CampaignSettings {
    maxAttempts = maxAttempts == 0 ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
    retry = retry == null ? RetryPolicy.defaults() : retry;
    callingHours = CallingHoursSettings.copy(callingHours);
    stateHours = CallingHoursSettings.copy(stateHours);
    holidays = holidays == null ? List.of() : List.copyOf(holidays);
    abandonment = abandonment == null ? AbandonmentSettings.defaults() : abandonment;
  }

  /** The campaign's own hours as the compliance gate reads them, or null when it has none. */
  io.parley.compliance.CampaignHours hours() {
    return CallingHoursSettings.of(callingHours, stateHours, holidays);
  }

  static final int MIN_RING_SECONDS = 15;
  static final int MAX_RING_SECONDS = 600;
  static final int DEFAULT_RING_SECONDS = 30;
  static final int MAX_CONCURRENT = 1000;
  static final int DEFAULT_CONCURRENT = 5;
  static final BigDecimal MIN_CPS = new BigDecimal("0.01");
  static final BigDecimal MAX_CPS = new BigDecimal("100");
  static final BigDecimal DEFAULT_CPS = BigDecimal.ONE;
  static final int DEFAULT_MAX_ATTEMPTS = 3;

  private static final Set<String> FIELDS =
      Set.of(
          "purpose",
          "agentId",
          "promptVersion",
          "callerId",
          "defaultRegion",
          "amdMode",
          "ringTimeoutSeconds",
          "maxConcurrentCalls",
          "callsPerSecond",
          "requireConsent",
          "maxAttempts",
          "retry",
          "callingHours",
          "stateHours",
          "holidays",
          "abandonment",
          "voicemail");
  private static final Set<String> AMD_MODES = Set.of("off", "enable", "detect_message_end");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
  private static final Set<String> REGIONS = PhoneNumberUtil.getInstance().getSupportedRegions();

  /**
   * Reads settings from a request, naming each bad field as {@code prefix + name}.
   *
   * @param errors where problems are added
   * @return the settings, or null when {@code errors} gained an entry
   */
  static CampaignSettings parse(JsonNode node, String prefix, Map<String, String> errors) {
    if (node == null || node.isNull() || !node.isObject()) {
      errors.put(
          prefix.isEmpty() ? "settings" : prefix.substring(0, prefix.length() - 1),
          "is required: a JSON object");
      return null;
    }
    ObjectNode body = (ObjectNode) node;
    int before = errors.size();
    for (String name : body.propertyNames()) {
      if (!FIELDS.contains(name)) {
        errors.put(prefix + name, "is not a campaign setting");
      }
    }
    CampaignPurpose purpose = null;
    JsonNode purposeNode = body.get("purpose");
    if (purposeNode == null || purposeNode.isNull()) {
      errors.put(prefix + "purpose", "is required: informational or telemarketing");
    } else {
      purpose =
          CampaignPurpose.parse(purposeNode.isString() ? purposeNode.asString() : "").orElse(null);
      if (purpose == null) {
        errors.put(prefix + "purpose", "must be informational or telemarketing");
      }
    }
    UUID agentId = null;
    JsonNode agent = body.get("agentId");
    if (agent == null || agent.isNull()) {
      errors.put(prefix + "agentId", "is required");
    } else {
      try {
        agentId = UUID.fromString(agent.isString() ? agent.asString() : "");
      } catch (IllegalArgumentException e) {
        errors.put(prefix + "agentId", "must be an agent id (UUID)");
      }
    }
    Integer promptVersion = null;
    JsonNode version = body.get("promptVersion");
    if (version != null && !version.isNull()) {
      if (!version.isInt() || version.asInt() < 1) {
        errors.put(prefix + "promptVersion", "must be a prompt version number (1 or more)");
      } else {
        promptVersion = version.asInt();
      }
    }
    String callerId = null;
    JsonNode caller = body.get("callerId");
    if (caller != null && !caller.isNull()) {
      if (!caller.isString() || !E164.matcher(caller.asString()).matches()) {
        errors.put(prefix + "callerId", "must be a number in E.164 form, e.g. +14155550123");
      } else {
        callerId = caller.asString();
      }
    }
    String region = "US";
    JsonNode regionNode = body.get("defaultRegion");
    if (regionNode != null && !regionNode.isNull()) {
      String text = regionNode.isString() ? regionNode.asString().toUpperCase(Locale.ROOT) : "";
      if (!REGIONS.contains(text)) {
        errors.put(prefix + "defaultRegion", "must be an ISO 3166 region code such as US or GB");
      } else {
        region = text;
      }
    }
    String amd = "enable";
    JsonNode amdNode = body.get("amdMode");
    if (amdNode != null && !amdNode.isNull()) {
      if (!amdNode.isString() || !AMD_MODES.contains(amdNode.asString())) {
        errors.put(prefix + "amdMode", "must be off, enable or detect_message_end");
      } else {
        amd = amdNode.asString();
      }
    }
    int ring =
        intSetting(
            body,
            prefix,
            "ringTimeoutSeconds",
            DEFAULT_RING_SECONDS,
            MIN_RING_SECONDS,
            MAX_RING_SECONDS,
            " (at least 15 s: ringing shorter than 15 s or 4 rings counts as abandoning the call)",
            errors);
    int concurrent =
        intSetting(
            body, prefix, "maxConcurrentCalls", DEFAULT_CONCURRENT, 1, MAX_CONCURRENT, "", errors);
    BigDecimal cps = DEFAULT_CPS;
    JsonNode cpsNode = body.get("callsPerSecond");
    if (cpsNode != null && !cpsNode.isNull()) {
      if (!cpsNode.isNumber()
          || cpsNode.decimalValue().compareTo(MIN_CPS) < 0
          || cpsNode.decimalValue().compareTo(MAX_CPS) > 0) {
        errors.put(
            prefix + "callsPerSecond",
            "must be a number from " + MIN_CPS + " to " + MAX_CPS.toPlainString());
      } else {
        cps = cpsNode.decimalValue().stripTrailingZeros();
      }
    }
    Boolean consent = null;
    JsonNode consentNode = body.get("requireConsent");
    if (consentNode != null && !consentNode.isNull()) {
      if (!consentNode.isBoolean()) {
        errors.put(prefix + "requireConsent", "must be true or false");
      } else {
        consent = consentNode.asBoolean();
      }
    }
    int maxAttempts =
        intSetting(
            body,
            prefix,
            "maxAttempts",
            DEFAULT_MAX_ATTEMPTS,
            1,
            RetryPolicy.MAX_ATTEMPTS,
            "",
            errors);
    RetryPolicy retry = RetryPolicy.parse(body.get("retry"), prefix + "retry", errors);
    Map<String, String> callingHours =
        CallingHoursSettings.weekdays(body.get("callingHours"), prefix + "callingHours", errors);
    Map<String, String> stateHours =
        CallingHoursSettings.states(body.get("stateHours"), prefix + "stateHours", errors);
    List<String> holidays =
        CallingHoursSettings.holidays(body.get("holidays"), prefix + "holidays", errors);
    AbandonmentSettings abandonment =
        AbandonmentSettings.parse(body.get("abandonment"), prefix + "abandonment", errors);
    VoicemailSettings voicemail =
        VoicemailSettings.parse(body.get("voicemail"), prefix + "voicemail", errors);
    if (errors.size() > before) {
      return null;
    }
    boolean requireConsent = consent != null ? consent : purpose == CampaignPurpose.TELEMARKETING;
    return new CampaignSettings(
        purpose,
        agentId,
        promptVersion,
        callerId,
        region,
        amd,
        ring,
        concurrent,
        cps,
        requireConsent,
        maxAttempts,
        retry,
        callingHours,
        stateHours,
        holidays,
        abandonment,
        voicemail);
  }

  private static int intSetting(
      ObjectNode body,
      String prefix,
      String name,
      int fallback,
      int min,
      int max,
      String why,
      Map<String, String> errors) {
    JsonNode node = body.get(name);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isInt() || node.asInt() < min || node.asInt() > max) {
      errors.put(prefix + name, "must be a whole number from " + min + " to " + max + why);
      return fallback;
    }
    return node.asInt();
  }
}
