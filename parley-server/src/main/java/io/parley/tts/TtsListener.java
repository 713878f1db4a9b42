package io.parley.tts;

/**
 * Receives a session's events in order, on the session's own thread. Keep it cheap (copy and hand
 * off): {@link TtsSession#cancel()} waits for an event being delivered to return.
 */
@FunctionalInterface
public interface TtsListener {
  void on(TtsEvent event);
}
