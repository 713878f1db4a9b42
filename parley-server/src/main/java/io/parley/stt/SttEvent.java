package io.parley.stt;

import java.util.List;
import java.util.Objects;

/**
 * What a recognition session reports. Every offset is in milliseconds on the call's audio timeline:
 * audio time since the first byte handed to {@link SttSession#send}, whatever reconnects happened
 * in between (the provider's own clock restarts at zero on every socket).
 */
public sealed interface SttEvent {

  /**
   * An interim hypothesis of the words being spoken; later events revise it. Only sent when it
   * holds text.
   */
  record Partial(String text, List<Word> words, double confidence) implements SttEvent {
    public Partial {
      Objects.requireNonNull(text, "text");
      words = List.copyOf(words);
    }
  }

  /**
   * A committed piece of the transcript; the text will not change.
   *
   * @param text the (punctuated) transcript of the segment, possibly empty when {@code speechFinal}
   * @param speechFinal true when the provider's endpointing saw the caller pause: the utterance is
   *     complete and the caller's turn may end
   * @param startMs where the segment starts
   * @param endMs where the segment ends
   */
  record Final(String text, List<Word> words, boolean speechFinal, long startMs, long endMs)
      implements SttEvent {
    public Final {
      Objects.requireNonNull(text, "text");
      words = List.copyOf(words);
    }
  }

  /** Voice activity began (before any word is recognised); the first barge-in signal. */
  record SpeechStarted(long atMs) implements SttEvent {}

  /**
   * The caller has been silent for the utterance-end gap after their last word: a backup end of
   * turn for noisy lines where endpointing never fires.
   */
  record UtteranceEnd(long lastWordEndMs) implements SttEvent {}

  /**
   * The socket dropped and a new one is up; the audio the provider had not committed yet is sent
   * again to it, so no word is lost (interim results may repeat). Comes before every result of the
   * new socket.
   *
   * @param attempts connection attempts it took
   * @param resentMs how much buffered audio is sent again
   */
  record Reconnected(int attempts, long resentMs) implements SttEvent {}

  /**
   * The session is over without a graceful finish; nothing follows this event.
   *
   * @param retriable true when a new session may work (the provider was unreachable or kept
   *     dropping the socket); false when it cannot (bad key, no credits, unknown or unconfigured
   *     provider, a request the provider rejects)
   * @param reason for logs and the call record; never contains a key
   */
  record Failed(boolean retriable, String reason) implements SttEvent {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * One recognised word.
   *
   * @param text the word as recognised (lower case, no punctuation)
   * @param punctuated the word as it appears in the transcript (capitals and punctuation)
   * @param startMs where it starts on the call's timeline
   * @param endMs where it ends on the call's timeline
   */
  record Word(String text, String punctuated, long startMs, long endMs, double confidence) {
    public Word {
      Objects.requireNonNull(text, "text");
      punctuated = punctuated == null || punctuated.isEmpty() ? text : punctuated;
    }
  }
}
