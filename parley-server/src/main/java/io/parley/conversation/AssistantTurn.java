package io.parley.conversation;

import io.parley.llm.LlmEvent;
import io.parley.llm.LlmMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One assistant message in the model's history: the text of one streamed response (or the greeting)
 * and the tools it called. Until the reply is interrupted it stands for everything said; after, for
 * only what the caller heard.
 */
final class AssistantTurn {

  final StringBuilder fullText = new StringBuilder();
  final List<LlmEvent.ToolCall> toolCalls = new ArrayList<>();
  final List<SpokenChunk> chunks = new ArrayList<>();
  private String heardText;

  /** Keeps only what the caller heard: the chunks' heard words, in order. */
  void cutTo(String heard) {
    this.heardText = heard;
  }

  boolean interrupted() {
    return heardText != null;
  }

  /** The text the caller heard (all of it unless cut). */
  String text() {
    return heardText != null ? heardText : fullText.toString().strip();
  }

  /** The history message, or empty when nothing was said and no tool was called. */
  Optional<LlmMessage> message() {
    String text = text();
    if (text.isEmpty() && toolCalls.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LlmMessage.Assistant(text, toolCalls));
  }
}
