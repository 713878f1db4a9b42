package io.parley.tts;

import java.util.List;
import java.util.Objects;

/** What a session produces: audio per utterance, then done, or a failure. */
public sealed interface TtsEvent {

  /**
   * A piece of an utterance's audio.
   *
   * @param mulaw raw μ-law 8 kHz mono bytes, ready for Twilio (never empty, never a WAV header)
   * @param utteranceSeq the utterance it belongs to
   * @param alignment which characters this audio says, when the provider reports it
   */
  record Audio(byte[] mulaw, long utteranceSeq, Alignment alignment) implements TtsEvent {
    public Audio {
      Objects.requireNonNull(mulaw, "mulaw");
      alignment = alignment == null ? Alignment.NONE : alignment;
    }
  }

  /** Every piece of the utterance's audio has been delivered. */
  record Done(long utteranceSeq) implements TtsEvent {}

  /**
   * No provider could speak the pending text; what was not spoken is dropped.
   *
   * @param retriable true when trying again later may work (server error, rate limit, timeout);
   *     false for a bad key, a bad voice or a refused format
   * @param reason for logs and the call record; never contains a key
   */
  record Failed(boolean retriable, String reason) implements TtsEvent {}

  /**
   * Character timing of one audio chunk: {@code chars.get(i)} starts {@code startMs.get(i)}
   * milliseconds after the chunk's first byte. Empty when the provider gives no timing (REST).
   */
  record Alignment(List<String> chars, List<Integer> startMs) {
    public static final Alignment NONE = new Alignment(List.of(), List.of());

    public Alignment {
      chars = List.copyOf(chars);
      startMs = List.copyOf(startMs);
      if (chars.size() != startMs.size()) {
        throw new IllegalArgumentException("chars and startMs differ in length");
      }
    }

    public boolean isEmpty() {
      return chars.isEmpty();
    }

    /** The characters joined. */
    public String text() {
      return String.join("", chars);
    }
  }
}
