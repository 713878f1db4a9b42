package io.parley.analysis;

import io.parley.agents.AnalysisConfig;
import io.parley.calls.TranscriptSegment;
import io.parley.llm.LlmMessage;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** What the model is asked: the task and the answer's shape, then the transcript. */
final class AnalysisPrompt {

  static final String DEFAULT_SUMMARY = "Two or three sentences on what happened on the call.";

  private AnalysisPrompt() {}

  static List<LlmMessage> messages(
      AnalysisConfig config, List<TranscriptSegment> transcript, JsonMapper mapper) {
    return List.of(
        new LlmMessage.System(task(config, mapper)), new LlmMessage.User(text(transcript)));
  }

  /** Asks again after an invalid answer, saying what was wrong with it. */
  static List<LlmMessage> retry(List<LlmMessage> first, String answer, String problem) {
    return List.of(
        first.get(0),
        first.get(1),
        new LlmMessage.Assistant(answer.isBlank() ? "(no answer)" : answer, List.of()),
        new LlmMessage.User(
            "That answer is not valid: "
                + problem
                + ". Answer again with only the corrected JSON object."));
  }

  private static String task(AnalysisConfig config, JsonMapper mapper) {
    String summary =
        config.summary() == null || config.summary().isBlank()
            ? DEFAULT_SUMMARY
            : config.summary().strip();
    String category =
        config.categories().isEmpty()
            ? "null"
            : "exactly one of "
                + mapper.writeValueAsString(config.categories())
                + ", written as listed";
    String fields =
        config.schema() == null
            ? "{}"
            : "an object valid against this JSON Schema: "
                + mapper.writeValueAsString(config.schema());
    return """
        You analyse a finished phone call between an AI agent and a person, from its transcript. \
        Answer with one JSON object and nothing else (no prose, no code fence), with these keys:
        "summary": a string. %s
        "category": %s.
        "sentiment": the person's overall sentiment: "positive", "neutral" or "negative".
        "fields": %s. Use only what the call said; leave out what it did not say unless the \
        schema requires it.
        """
        .formatted(summary, category, fields);
  }

  private static String text(List<TranscriptSegment> transcript) {
    StringBuilder text = new StringBuilder("Transcript:\n");
    for (TranscriptSegment segment : transcript) {
      String who =
          switch (segment.role()) {
            case CALLER -> "Person";
            case AGENT -> "Agent";
            case TOOL -> "Tool";
            case SYSTEM -> "System";
          };
      text.append(who).append(": ").append(segment.text());
      if (segment.interrupted()) {
        text.append(" [interrupted]");
      }
      text.append('\n');
    }
    return text.toString();
  }
}
