package io.parley.sim.llm;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The OpenAI-compatible LLM simulator's settings.
 *
 * @param flavor {@code xai} answers errors as xAI does ({@code {"code","error"}}) and sends tool
 *     calls whole; {@code openai} uses OpenAI's {@code {"error":{...}}} and argument fragments. A
 *     rule may override the tool-call style.
 * @param timeToFirstToken delay before the first content chunk
 * @param tokensPerSecond pacing of later chunks; 0 or less means no pacing
 */
public record LlmConfig(
    int port,
    String apiKey,
    Flavor flavor,
    List<String> models,
    Duration timeToFirstToken,
    double tokensPerSecond,
    List<Rule> rules,
    String defaultReply) {

  public enum Flavor {
    XAI,
    OPENAI
  }

  /** How tool calls are streamed. */
  public enum ToolCallStyle {
    /** xAI: each call whole in one delta. */
    WHOLE,
    /** OpenAI: id and name first, then the arguments in fragments. */
    FRAGMENTS
  }

  /** What part of the conversation a rule looks at. */
  public enum On {
    /** The last message is from the user. */
    USER,
    /** The last message is a tool result. */
    TOOL
  }

  public record ToolCall(String name, String arguments) {}

  /**
   * Replies with {@code reply} text and/or {@code toolCalls} when the last message (of kind {@code
   * on}) matches {@code pattern} (found anywhere in the content, case-insensitive).
   */
  public record Rule(
      On on, Pattern pattern, String reply, List<ToolCall> toolCalls, ToolCallStyle style) {
    public Rule {
      toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
      reply = reply == null ? "" : reply;
    }

    public static Rule user(String regex, String reply) {
      return new Rule(On.USER, compile(regex), reply, List.of(), null);
    }

    public static Rule tool(String regex, String reply) {
      return new Rule(On.TOOL, compile(regex), reply, List.of(), null);
    }

    public static Rule userToolCalls(String regex, ToolCallStyle style, ToolCall... calls) {
      return new Rule(On.USER, compile(regex), "", List.of(calls), style);
    }

    public static Pattern compile(String regex) {
      return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    boolean matches(On kind, String content) {
      return on == kind && pattern.matcher(content).find();
    }

    Optional<ToolCallStyle> styleOverride() {
      return Optional.ofNullable(style);
    }
  }

  public LlmConfig {
    models = models == null || models.isEmpty() ? List.of("grok-4-fast-non-reasoning") : models;
    rules = rules == null ? List.of() : List.copyOf(rules);
    flavor = flavor == null ? Flavor.XAI : flavor;
    timeToFirstToken = timeToFirstToken == null ? Duration.ZERO : timeToFirstToken;
    defaultReply = defaultReply == null ? "I am a simulated assistant." : defaultReply;
    apiKey = apiKey == null ? "sim-llm-key" : apiKey;
  }

  public static LlmConfig defaults() {
    return new LlmConfig(0, null, null, null, null, 0, null, null);
  }

  public LlmConfig withRules(List<Rule> newRules) {
    return new LlmConfig(
        port, apiKey, flavor, models, timeToFirstToken, tokensPerSecond, newRules, defaultReply);
  }

  public LlmConfig withPacing(Duration ttft, double tps) {
    return new LlmConfig(port, apiKey, flavor, models, ttft, tps, rules, defaultReply);
  }

  public LlmConfig withFlavor(Flavor newFlavor) {
    return new LlmConfig(
        port, apiKey, newFlavor, models, timeToFirstToken, tokensPerSecond, rules, defaultReply);
  }

  ToolCallStyle defaultStyle() {
    return flavor == Flavor.XAI ? ToolCallStyle.WHOLE : ToolCallStyle.FRAGMENTS;
  }
}
