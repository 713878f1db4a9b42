package io.parley.sim;

import io.parley.sim.caller.CallerScript;
import io.parley.sim.deepgram.DeepgramConfig;
import io.parley.sim.elevenlabs.ElevenLabsConfig;
import io.parley.sim.http.HttpConfig;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.twilio.TwilioConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Maps the YAML tree (plain maps and lists from SnakeYAML's safe loader) onto the config records.
 * Written out by hand so that a typo in a key fails loudly instead of being ignored.
 */
final class YamlConfig {
  private YamlConfig() {}

  static SimConfig simConfig(Map<String, Object> root) {
    known(root, "config", "host", "http", "twilio", "deepgram", "elevenlabs", "llm", "admin");
    return new SimConfig(
        string(root, "host", null),
        null,
        twilio(map(root.getOrDefault("twilio", Map.of()), "twilio")),
        deepgram(map(root.getOrDefault("deepgram", Map.of()), "deepgram")),
        elevenLabs(map(root.getOrDefault("elevenlabs", Map.of()), "elevenlabs")),
        llm(map(root.getOrDefault("llm", Map.of()), "llm")),
        admin(map(root.getOrDefault("admin", Map.of()), "admin")),
        http(map(root.getOrDefault("http", Map.of()), "http")));
  }

  static HttpConfig http(Map<String, Object> m) {
    known(m, "http", "keepAliveTimeoutMs", "refuseH2c");
    return new HttpConfig(
        m.containsKey("keepAliveTimeoutMs")
            ? Duration.ofMillis(integer(m, "keepAliveTimeoutMs", 0))
            : null,
        bool(m, "refuseH2c", true));
  }

  static AdminConfig admin(Map<String, Object> m) {
    known(m, "admin", "port", "key");
    return new AdminConfig(integer(m, "port", 0), string(m, "key", null));
  }

  static ElevenLabsConfig elevenLabs(Map<String, Object> m) {
    known(m, "elevenlabs", "port", "apiKey", "firstAudioMs");
    return new ElevenLabsConfig(
        integer(m, "port", 0),
        string(m, "apiKey", null),
        m.containsKey("firstAudioMs") ? Duration.ofMillis(integer(m, "firstAudioMs", 0)) : null);
  }

  static DeepgramConfig deepgram(Map<String, Object> m) {
    known(
        m,
        "deepgram",
        "port",
        "apiKey",
        "latencyMs",
        "idleTimeoutMs",
        "speechEnergy",
        "vadLatencyMs");
    return new DeepgramConfig(
        integer(m, "port", 0),
        string(m, "apiKey", null),
        m.containsKey("latencyMs") ? Duration.ofMillis(integer(m, "latencyMs", 0)) : null,
        m.containsKey("idleTimeoutMs") ? Duration.ofMillis(integer(m, "idleTimeoutMs", 0)) : null,
        number(m, "speechEnergy", 0),
        m.containsKey("vadLatencyMs") ? Duration.ofMillis(integer(m, "vadLatencyMs", 0)) : null);
  }

  static TwilioConfig twilio(Map<String, Object> m) {
    known(m, "twilio", "port", "accountSid", "authToken", "numbers", "destinations", "default");
    List<TwilioConfig.PhoneNumber> numbers = new ArrayList<>();
    for (Object o : list(m.get("numbers"), "twilio.numbers")) {
      Map<String, Object> n = map(o, "twilio.numbers[]");
      known(
          n,
          "twilio.numbers[]",
          "number",
          "voiceUrl",
          "statusCallback",
          "voiceFallbackUrl",
          "smsUrl");
      numbers.add(
          new TwilioConfig.PhoneNumber(
              string(n, "number", null),
              string(n, "voiceUrl", null),
              string(n, "statusCallback", null),
              string(n, "voiceFallbackUrl", null),
              string(n, "smsUrl", null)));
    }
    Map<String, TwilioConfig.Destination> destinations = new LinkedHashMap<>();
    map(m.getOrDefault("destinations", Map.of()), "twilio.destinations")
        .forEach((number, d) -> destinations.put(number, destination(map(d, number))));
    Object fallback = m.get("default");
    return new TwilioConfig(
        integer(m, "port", 0),
        string(m, "accountSid", null),
        string(m, "authToken", null),
        numbers,
        destinations,
        fallback == null ? null : destination(map(fallback, "twilio.default")));
  }

  static TwilioConfig.Destination destination(Map<String, Object> d) {
    known(d, "destination", "outcome", "ringMs", "answeredBy", "amdMs", "script", "sms");
    String outcome = string(d, "outcome", null);
    String sms = string(d, "sms", null);
    return new TwilioConfig.Destination(
        outcome == null
            ? null
            : TwilioConfig.Outcome.valueOf(outcome.toUpperCase(Locale.ROOT).replace('-', '_')),
        d.containsKey("ringMs") ? Duration.ofMillis(integer(d, "ringMs", 0)) : null,
        string(d, "answeredBy", null),
        d.containsKey("amdMs") ? Duration.ofMillis(integer(d, "amdMs", 0)) : null,
        script(d.get("script")),
        sms == null ? null : TwilioConfig.SmsOutcome.valueOf(sms.toUpperCase(Locale.ROOT)));
  }

  /** A caller script: a list of steps (see parley-sim/README.md). */
  static CallerScript script(Object value) {
    List<CallerScript.Step> steps = new ArrayList<>();
    for (Object o : list(value, "script")) {
      Map<String, Object> s = map(o, "script[]");
      known(
          s,
          "script[]",
          "say",
          "now",
          "intoAgentReplyMs",
          "quietMs",
          "maxWaitMs",
          "silenceMs",
          "dtmf",
          "hangupAfterMs",
          "beepMs");
      Duration maxWait = Duration.ofMillis(integer(s, "maxWaitMs", 10_000));
      if (s.containsKey("say")) {
        CallerScript.When when;
        if (bool(s, "now", false)) {
          when = new CallerScript.Now();
        } else if (s.containsKey("intoAgentReplyMs")) {
          when =
              new CallerScript.IntoAgentReply(
                  Duration.ofMillis(integer(s, "intoAgentReplyMs", 0)), maxWait);
        } else {
          when =
              new CallerScript.AgentStops(Duration.ofMillis(integer(s, "quietMs", 600)), maxWait);
        }
        steps.add(new CallerScript.Say(string(s, "say", ""), when));
      } else if (s.containsKey("silenceMs")) {
        steps.add(new CallerScript.Silence(Duration.ofMillis(integer(s, "silenceMs", 0))));
      } else if (s.containsKey("dtmf")) {
        steps.add(new CallerScript.Dtmf(string(s, "dtmf", "")));
      } else if (s.containsKey("beepMs")) {
        steps.add(new CallerScript.Beep(Duration.ofMillis(integer(s, "beepMs", 500))));
      } else if (s.containsKey("hangupAfterMs")) {
        steps.add(new CallerScript.Hangup(Duration.ofMillis(integer(s, "hangupAfterMs", 0))));
      } else {
        throw new IllegalArgumentException(
            "a script step needs say, silenceMs, dtmf, beepMs or hangupAfterMs");
      }
    }
    return new CallerScript(steps);
  }

  /** Loads a caller script from a YAML file holding a list of steps. */
  static CallerScript loadScript(String yaml) {
    return script(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
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
