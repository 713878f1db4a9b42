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

  /**
   * Makes sure a live connection to the provider's host is ready for the next {@link #stream}, so
   * the request at the end of the caller's turn neither waits for a connection (nor, on a real
   * host, a TLS handshake) nor lands on one the host has closed. Called when the caller starts to
   * speak, at most once a turn; it sends at most one cheap request and never blocks. An unknown or
   * unconfigured provider is ignored (the turn's request reports it).
   */
  void prepare(String providerId);
}
