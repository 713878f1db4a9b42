package io.parley.telephony;

/**
 * What telephony hands a live call to once its media stream has started: implemented by the
 * conversation engine. Telephony owns the socket, the token check and the parsing; the engine owns
 * everything said on the call.
 */
public interface CallStreams {

  /**
   * A media stream for a known call has started. Called on the socket's event loop, where the
   * listener is called too: never block (start the call and hand back its listener).
   *
   * @param start which call and stream this is
   * @param output the socket's outbound side, for the engine's single writer
   * @return the listener every later event of this stream goes to
   */
  StreamListener started(StreamStart start, StreamOutput output);
}
