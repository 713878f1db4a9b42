package io.parley.stt;

/**
 * A live speech recogniser for a call's caller audio. Implementations are thread-safe; each {@link
 * SttSession} belongs to one call.
 */
public interface SpeechToText {

  /**
   * Opens a session and returns at once: connecting happens in the background and audio handed to
   * {@link SttSession#send} meanwhile is buffered and sent when the socket is up. A provider that
   * is unknown, not configured or refuses the connection is reported as {@link SttEvent.Failed},
   * never thrown.
   *
   * @throws IllegalArgumentException when the spec or the listener is missing
   */
  SttSession open(SttSpec spec, SttListener listener);

  /** Opens a session whose events reach {@code listener} on {@code loop}. */
  default SttSession open(SttSpec spec, SttListener listener, io.netty.channel.EventLoop loop) {
    return open(spec, event -> loop.execute(() -> listener.on(event)));
  }
}
