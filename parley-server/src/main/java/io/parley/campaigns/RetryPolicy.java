package io.parley.campaigns;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * When a lead is called again after an attempt that reached nobody, per kind of outcome. Each rule
 * gives the wait before the next attempt and how many attempts that kind of outcome allows in all;
 * the campaign's {@code maxAttempts} caps every lead whatever the outcomes. Final outcomes (a
 * conversation, an opt-out, a do-not-call entry, an invalid number) are never retried.
 *
 * @param busy the line was busy
 * @param noAnswer nobody answered within the ring timeout (or the call was cancelled)
 * @param machine answering-machine detection found a machine (or a fax)
 * @param failed the call failed (Twilio's error, Parley's error, the call was rejected)
 */
public record RetryPolicy(Rule busy, Rule noAnswer, Rule machine, Rule failed) {

  static final int MAX_DELAY_MINUTES = 7 * 24 * 60;
  static final int MAX_ATTEMPTS = 20;

  /**
   * @param delayMinutes the wait before the next attempt
   * @param maxAttempts the attempts this kind of outcome allows (1: never retried)
   */
  public record Rule(int delayMinutes, int maxAttempts) {}

  static RetryPolicy defaults() {
    return new RetryPolicy(new Rule(10, 3), new Rule(60, 3), new Rule(240, 2), new Rule(30, 2));
  }

  /** Reads the policy; fields left out keep their defaults. */
  static RetryPolicy parse(JsonNode node, String prefix, Map<String, String> errors) {
    RetryPolicy defaults = defaults();
    if (node == null || node.isNull()) {
      return defaults;
    }
    if (!node.isObject()) {
      errors.put(prefix, "must be an object: {busy, noAnswer, machine, failed}");
      return defaults;
    }
    ObjectNode body = (ObjectNode) node;
    Map<String, Rule> rules = new LinkedHashMap<>();
    rules.put("busy", defaults.busy());
    rules.put("noAnswer", defaults.noAnswer());
    rules.put("machine", defaults.machine());
    rules.put("failed", defaults.failed());
    for (String name : body.propertyNames()) {
      if (!rules.containsKey(name)) {
        errors.put(
            prefix + "." + name,
            "is not an outcome with a retry rule (busy, noAnswer," + " machine, failed)");
      }
    }
    for (Map.Entry<String, Rule> entry : rules.entrySet()) {
      JsonNode rule = body.get(entry.getKey());
      if (rule != null && !rule.isNull()) {
        entry.setValue(rule(rule, prefix + "." + entry.getKey(), entry.getValue(), errors));
      }
    }
    return new RetryPolicy(
        rules.get("busy"), rules.get("noAnswer"), rules.get("machine"), rules.get("failed"));
  }

  private static Rule rule(JsonNode node, String path, Rule fallback, Map<String, String> errors) {
    if (!node.isObject()) {
      errors.put(path, "must be an object: {delayMinutes, maxAttempts}");
      return fallback;
    }
    for (String name : node.propertyNames()) {
      if (!name.equals("delayMinutes") && !name.equals("maxAttempts")) {
        errors.put(path + "." + name, "is not a field of a retry rule (delayMinutes, maxAttempts)");
      }
    }
    int delay = fallback.delayMinutes();
    JsonNode delayNode = node.get("delayMinutes");
    if (delayNode != null && !delayNode.isNull()) {
      if (!delayNode.isInt() || delayNode.asInt() < 1 || delayNode.asInt() > MAX_DELAY_MINUTES) {
        errors.put(
            path + ".delayMinutes",
            "must be a whole number of minutes from 1 to " + MAX_DELAY_MINUTES);
      } else {
        delay = delayNode.asInt();
      }
    }
    int attempts = fallback.maxAttempts();
    JsonNode attemptsNode = node.get("maxAttempts");
    if (attemptsNode != null && !attemptsNode.isNull()) {
      if (!attemptsNode.isInt()
          || attemptsNode.asInt() < 1
          || attemptsNode.asInt() > MAX_ATTEMPTS) {
        errors.put(path + ".maxAttempts", "must be a whole number from 1 to " + MAX_ATTEMPTS);
      } else {
        attempts = attemptsNode.asInt();
      }
    }
    return new Rule(delay, attempts);
  }
}
