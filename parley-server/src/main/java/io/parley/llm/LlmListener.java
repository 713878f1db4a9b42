package io.parley.llm;

/** Receives a call's events, in order, on the thread running {@link LlmCall#run()}. */
@FunctionalInterface
public interface LlmListener {
  void on(LlmEvent event);
}
