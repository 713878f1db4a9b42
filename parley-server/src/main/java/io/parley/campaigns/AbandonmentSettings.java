package io.parley.campaigns;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A campaign's drop-rate limits and its safe-harbour message (47 CFR 64.1200(a)(7), 16 CFR
 * 310.4(b)(4)): at most 3 % of live answers may be dropped, per campaign over 30 days; a drop hears
 * the seller's name, a call-back number and how to opt out.
 *
 * @param limitPercent the drop rate at which the campaign pauses
 * @param warnPercent the drop rate from which the campaign dials at half its concurrency
 * @param safeHarbourMessage what a drop hears, spoken in the agent's voice (recorded once per
 *     node), or null: then a drop hears nothing and is only counted
 */
public record AbandonmentSettings(
    BigDecimal limitPercent, BigDecimal warnPercent, String safeHarbourMessage) {

  static final BigDecimal DEFAULT_LIMIT = new BigDecimal("3");
  static final BigDecimal DEFAULT_WARN = new BigDecimal("2.5");
  static final int MAX_MESSAGE = 500;

  private static final Set<String> FIELDS =
      Set.of("limitPercent", "warnPercent", "safeHarbourMessage");

  // Settings stored before abandonment existed read as the defaults.
  public AbandonmentSettings {
    limitPercent = limitPercent == null ? DEFAULT_LIMIT : limitPercent;
    warnPercent = warnPercent == null ? DEFAULT_WARN : warnPercent;
  }

  static AbandonmentSettings defaults() {
    return new AbandonmentSettings(DEFAULT_LIMIT, DEFAULT_WARN, null);
  }

  /** Reads the settings; fields left out keep their defaults. */
  static AbandonmentSettings parse(JsonNode node, String prefix, Map<String, String> errors) {
    if (node == null || node.isNull()) {
      return defaults();
    }
    if (!node.isObject()) {
      errors.put(prefix, "must be an object: {limitPercent, warnPercent, safeHarbourMessage}");
      return defaults();
    }
    ObjectNode body = (ObjectNode) node;
    for (String name : body.propertyNames()) {
      if (!FIELDS.contains(name)) {
        errors.put(
            prefix + "." + name,
            "is not an abandonment setting (limitPercent, warnPercent, safeHarbourMessage)");
      }
    }
    // 3 % is the legal ceiling: a campaign may hold itself to less, never to more.
    BigDecimal limit =
        percent(body.get("limitPercent"), prefix + ".limitPercent", DEFAULT_LIMIT, errors);
    BigDecimal warn =
        percent(body.get("warnPercent"), prefix + ".warnPercent", DEFAULT_WARN, errors);
    if (warn.compareTo(limit) > 0 && !errors.containsKey(prefix + ".warnPercent")) {
      errors.put(prefix + ".warnPercent", "must not be above limitPercent (" + limit + ")");
    }
    String message = null;
    JsonNode text = body.get("safeHarbourMessage");
    if (text != null && !text.isNull()) {
      if (!text.isString() || text.asString().isBlank()) {
        errors.put(prefix + ".safeHarbourMessage", "must be a non-empty sentence to speak");
      } else if (text.asString().strip().length() > MAX_MESSAGE) {
        errors.put(
            prefix + ".safeHarbourMessage", "must be at most " + MAX_MESSAGE + " characters");
      } else {
        message = text.asString().strip();
      }
    }
    return new AbandonmentSettings(limit, warn, message);
  }

  private static BigDecimal percent(
      JsonNode node, String path, BigDecimal fallback, Map<String, String> errors) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber()
        || node.decimalValue().signum() <= 0
        || node.decimalValue().compareTo(DEFAULT_LIMIT) > 0) {
      errors.put(path, "must be a percentage above 0 and at most 3 (the legal limit)");
      return fallback;
    }
    return node.decimalValue().stripTrailingZeros();
  }
}
