package io.parley.tts;

/**
 * Receives a session's events in order, on the session's event loop. Keep it cheap: it runs on the
 * thread that carries every socket of the call (and of other calls), so it must never block.
 */
@FunctionalInterface
public interface TtsListener {
  void on(TtsEvent event);
}
