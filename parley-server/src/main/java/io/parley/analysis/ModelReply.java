package io.parley.analysis;

import io.parley.llm.LanguageModel;
import io.parley.llm.LlmEvent;
import io.parley.llm.LlmRequest;

/**
 * One request to the model, waited for on the calling thread (a job's virtual thread, never a media
 * loop): the whole text and its token counts, or why there is none.
 */
sealed interface ModelReply {

  /** The model answered {@code text}; {@code usage} is zero when the provider reported none. */
  record Answered(String text, LlmEvent.Usage usage) implements ModelReply {}

  /** The request failed; {@code retriable} as {@link LlmEvent.Failed} says. */
  record Refused(String message, boolean retriable) implements ModelReply {}

  static ModelReply ask(LanguageModel model, LlmRequest request) {
    StringBuilder text = new StringBuilder();
    ModelReply[] end = new ModelReply[1];
    model.stream(
            request,
            event -> {
              switch (event) {
                case LlmEvent.TextDelta delta -> text.append(delta.text());
                case LlmEvent.ToolCall ignored -> {}
                case LlmEvent.Completed done ->
                    end[0] = new Answered(text.toString(), done.usage());
                case LlmEvent.Failed failed ->
                    end[0] = new Refused(failed.message(), failed.retriable());
              }
            })
        .run();
    return end[0] == null ? new Refused("the model ended without an answer", true) : end[0];
  }
}
