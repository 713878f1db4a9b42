package io.parley.providers;

/** What a provider does for a call. */
public enum ProviderKind {
  /** A chat-completions language model host. */
  LLM,
  /** Speech to text. */
  STT,
  /** Text to speech. */
  TTS,
  /** The phone carrier. */
  TELEPHONY
}
