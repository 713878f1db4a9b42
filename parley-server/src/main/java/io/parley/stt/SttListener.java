package io.parley.stt;

/**
 * Receives a session's events in order, one at a time, on the adapter's threads (the socket reader
 * for transcripts, the socket writer for {@link SttEvent.Reconnected} and {@link SttEvent.Failed}).
 * It must return quickly, typically by posting the event to the call's mailbox: a slow listener
 * delays every later transcript. An exception it throws is logged and does not stop the session.
 */
@FunctionalInterface
public interface SttListener {
  void on(SttEvent event);
}
