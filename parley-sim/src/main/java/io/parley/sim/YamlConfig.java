package io.parley.sim;

import io.parley.sim.llm.LlmConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the YAML tree (plain maps and lists from SnakeYAML's safe loader) onto the config records.
 * Written out by hand so that a typo in a key fails loudly instead of being ignored.
 */
final class YamlConfig {
  private YamlConfig() {}

  static SimConfig simConfig(Map<String, Object> root) {
    known(root, "config", "host", "llm");
    return new SimConfig(
        string(root, "host", null), null, llm(map(root.getOrDefault("llm", Map.of()), "llm")));
  }

  static LlmConfig llm(Map<String, Object> m) {
    known(
        m,
        "llm",
        "port",
        "apiKey",
        "flavor",
        "models",
        "timeToFirstTokenMs",
        "tokensPerSecond",
        "rules",
        "defaultReply");
    List<LlmConfig.Rule> rules = new ArrayList<>();
    for (Object r : list(m.get("rules"), "llm.rules")) {
      rules.add(rule(map(r, "llm.rules[]")));
    }
    String flavor = string(m, "flavor", null);
    return new LlmConfig(
        integer(m, "port", 0),
        string(m, "apiKey", null),
        flavor == null ? null : LlmConfig.Flavor.valueOf(flavor.toUpperCase(Locale.ROOT)),
        list(m.get("models"), "llm.models").stream().map(String::valueOf).toList(),
        Duration.ofMillis(integer(m, "timeToFirstTokenMs", 0)),
        number(m, "tokensPerSecond", 0),
        rules,
        string(m, "defaultReply", null));
  }

  private static LlmConfig.Rule rule(Map<String, Object> m) {
    known(m, "llm.rules[]", "user", "tool", "reply", "toolCalls", "style");
    boolean onTool = m.containsKey("tool");
    String regex = string(m, onTool ? "tool" : "user", ".*");
    List<LlmConfig.ToolCall> calls = new ArrayList<>();
    for (Object c : list(m.get("toolCalls"), "toolCalls")) {
      Map<String, Object> call = map(c, "toolCalls[]");
      Object args = call.getOrDefault("arguments", Map.of());
      calls.add(
          new LlmConfig.ToolCall(
              string(call, "name", null), args instanceof String s ? s : Json.write(args)));
    }
    String style = string(m, "style", null);
    return new LlmConfig.Rule(
        onTool ? LlmConfig.On.TOOL : LlmConfig.On.USER,
        LlmConfig.Rule.compile(regex),
        string(m, "reply", ""),
        calls,
        style == null ? null : LlmConfig.ToolCallStyle.valueOf(style.toUpperCase(Locale.ROOT)));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value, String where) {
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException(where + " must be a mapping, not " + value);
  }

  static List<Object> list(Object value, String where) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    throw new IllegalArgumentException(where + " must be a list, not " + value);
  }

  static void known(Map<String, Object> m, String where, String... keys) {
    List<String> allowed = List.of(keys);
    for (String key : m.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            "unknown key '" + key + "' in " + where + "; known keys: " + allowed);
      }
    }
  }

  static String string(Map<String, Object> m, String key, String fallback) {
    Object v = m.get(key);
    return v == null ? fallback : String.valueOf(v);
  }

  static int integer(Map<String, Object> m, String key, int fallback) {
    Object v = m.get(key);
    return v == null ? fallback : ((Number) v).intValue();
  }

  static double number(Map<String, Object> m, String key, double fallback) {
    Object v = m.get(key);
    return v == null ? fallback : ((Number) v).doubleValue();
  }

  static boolean bool(Map<String, Object> m, String key, boolean fallback) {
    Object v = m.get(key);
    return v == null ? fallback : (Boolean) v;
  }
}
