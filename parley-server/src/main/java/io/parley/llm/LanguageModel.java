package io.parley.llm;

/**
 * A chat model that streams its answer. Implementations are thread-safe; each {@link LlmCall} is
 * used by one conversation turn.
 */
public interface LanguageModel {

  /**
   * Prepares one streamed completion. Nothing is sent until {@link LlmCall#run()}, which streams on
   * the thread that calls it, so the caller decides which thread blocks on the network (a call's
   * own virtual thread) and keeps the returned handle to {@link LlmCall#cancel()} it from another.
   */
  LlmCall stream(LlmRequest request, LlmListener listener);
}
