package io.parley.stt;

/**
 * Receives a session's events in order, one at a time, on the event loop the session was opened
 * with: the call's own loop, so a listener bound to it needs no lock. It must return quickly (it
 * holds up every socket and timer of the calls on that loop): handle the event or post it, never
 * wait. An exception it throws is logged and does not stop the session.
 */
@FunctionalInterface
public interface SttListener {
  void on(SttEvent event);
}
