package io.parley.sim.twilio;

/**
 * The audio side of a call: runs {@code <Connect><Stream>} as the Media Streams client and keeps
 * the call's audio for recordings. Implemented by the caller package, which plays the caller
 * script.
 */
public interface MediaLeg {

  /**
   * Runs a bidirectional stream until the app closes the socket (returns normally) or the call is
   * hung up or redirected (the owner thread is interrupted; the stream sends {@code stop} first).
   */
  void connect(SimCall call, Twiml.ConnectStream stream) throws InterruptedException;

  /** The call is over: release whatever is held for it except its recorded audio. */
  void callEnded(SimCall call);

  /** μ-law 8 kHz mono audio of the call, both parties mixed, between two sim-clock times. */
  byte[] audio(SimCall call, long fromMillis, long toMillis);
}
