package io.parley.tts;

/**
 * A stream of text to speak. Text is grouped into utterances: everything appended up to a {@link
 * #flush()} is one utterance, numbered from 1 in the order they start; its audio comes as {@link
 * TtsEvent.Audio}s tagged with that number, then one {@link TtsEvent.Done}. Methods never block.
 * They are meant to be called on the session's event loop, where they take effect at once; called
 * from another thread they are handed to the loop and take effect there, in call order.
 */
public interface TtsSession extends AutoCloseable {

  /**
   * Adds text to the current utterance (starting one if none is open). Providers may wait for more
   * text before speaking (ElevenLabs starts once 120 characters are buffered); {@link #flush()}
   * speaks the rest at once.
   */
  void append(String text);

  /** Speaks everything appended so far and ends the current utterance. */
  void flush();

  /**
   * Barge-in: stops at once and drops all pending text and audio. No {@link TtsEvent.Audio} or
   * {@link TtsEvent.Done} of the cancelled utterances is delivered after this method returns on the
   * loop; from another thread, none after an event being delivered at that moment. The session
   * stays usable: the next {@link #append} starts a new utterance.
   */
  void cancel();

  /** Cancels what is pending and releases the session's connections. */
  @Override
  void close();
}
