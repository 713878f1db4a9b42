package io.parley.conversation;

import io.parley.tts.TtsEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One speakable piece of a reply, sent to the voice as one utterance, and what became of its audio:
 * how much arrived, how much of it Twilio confirmed playing (its progress marks came back), whether
 * its own mark came back (so it played in full). Owned by the call's loop.
 */
final class SpokenChunk {

  /** μ-law bytes per millisecond at 8 kHz. */
  static final int BYTES_PER_MS = 8;

  /** Speaking rate assumed when nothing better is known: about 14 characters a second. */
  static final int MS_PER_CHAR = 70;

  final String text;
  final AssistantTurn turn;
  long seq = -1;
  int bytesReceived;
  int heardBytes;
  boolean done;
  boolean played;
  boolean lost;
  // Start of each aligned character, in ms from the chunk's first audio byte.
  private final List<Integer> charStartsMs = new ArrayList<>();

  SpokenChunk(String text, AssistantTurn turn) {
    this.text = text;
    this.turn = turn;
  }

  void addAudio(byte[] mulaw, TtsEvent.Alignment alignment) {
    int pieceStartMs = bytesReceived / BYTES_PER_MS;
    for (int start : alignment.startMs()) {
      charStartsMs.add(pieceStartMs + start);
    }
    bytesReceived += mulaw.length;
  }

  /** Whether nothing more will happen to this chunk's audio. */
  boolean settled() {
    return played || lost;
  }

  /**
   * The words of this chunk the caller heard when {@code playedBytes} of its audio had played:
   * everything once its mark came back; otherwise the characters whose audio had started (from the
   * provider's alignment, or in proportion to the audio without one), cut back to a whole word.
   */
  String heard(int playedBytes) {
    if (played) {
      return text;
    }
    if (playedBytes <= 0) {
      return "";
    }
    int chars;
    long playedMs = playedBytes / BYTES_PER_MS;
    if (!charStartsMs.isEmpty()) {
      int started = 0;
      for (int start : charStartsMs) {
        if (start < playedMs) {
          started++;
        }
      }
      chars = Math.min(started, text.length());
    } else if (done && bytesReceived > 0) {
      chars = (int) ((long) text.length() * Math.min(playedBytes, bytesReceived) / bytesReceived);
    } else {
      chars = (int) Math.min(text.length(), playedMs / MS_PER_CHAR);
    }
    return wholeWords(text, chars);
  }

  /** The first {@code chars} characters, cut back so no word is split. */
  static String wholeWords(String text, int chars) {
    if (chars >= text.length()) {
      return text;
    }
    if (chars <= 0) {
      return "";
    }
    int end = chars;
    if (!Character.isWhitespace(text.charAt(end))
        && !Character.isWhitespace(text.charAt(end - 1))) {
      while (end > 0 && !Character.isWhitespace(text.charAt(end - 1))) {
        end--;
      }
    }
    return text.substring(0, end).strip();
  }
}
