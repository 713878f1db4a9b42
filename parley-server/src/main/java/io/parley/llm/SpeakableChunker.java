package io.parley.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Cuts streamed model text into pieces a voice can say, so speech can start before the answer is
 * complete. A piece ends at a sentence end ({@code . ! ? ।}, with any closing quotes or brackets)
 * or a line break, and at a clause break ({@code , ; :}) once it is at least {@code
 * minClauseLength} characters long. Punctuation counts only when whitespace follows it, which keeps
 * numbers ({@code 3.5}, {@code 1,000}, {@code 10:30}) whole and means a mark at the very end of the
 * text so far waits for the next delta. Known abbreviations ({@code Dr.}, {@code e.g.}), initials
 * ({@code J.}) and list numbers ({@code 1.} opening a piece) do not end a sentence. Text with no
 * break at all is cut at a space near {@code maxLength}, so speech never waits for a paragraph;
 * such a piece ends at the last space within the limit (a longer word is kept whole). {@link
 * #finish()} returns what is left.
 *
 * <p>Not thread-safe: one chunker per streamed reply. Pieces are trimmed and never blank.
 */
public final class SpeakableChunker {

  public static final int DEFAULT_MIN_CLAUSE_LENGTH = 30;
  public static final int DEFAULT_MAX_LENGTH = 250;

  private static final String SENTENCE_ENDS = ".!?।॥…";
  private static final String CLAUSE_BREAKS = ",;:";
  private static final String CLOSERS = "\"'”’)]»";

  /** Words that end in a full stop without ending a sentence (compared in lower case). */
  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "e.g", "i.e", "eg",
          "ie", "inc", "ltd", "co", "corp", "approx", "dept", "ave", "rd", "fig", "jan", "feb",
          "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m",
          "u.s", "u.k", "डॉ", "श्री", "सं");

  private final int minClauseLength;
  private final int maxLength;
  private final StringBuilder pending = new StringBuilder();

  public SpeakableChunker() {
    this(DEFAULT_MIN_CLAUSE_LENGTH, DEFAULT_MAX_LENGTH);
  }

  public SpeakableChunker(int minClauseLength, int maxLength) {
    if (minClauseLength < 0 || maxLength < 1 || maxLength < minClauseLength) {
      throw new IllegalArgumentException(
          "Need 0 <= minClauseLength <= maxLength and maxLength >= 1");
    }
    this.minClauseLength = minClauseLength;
    this.maxLength = maxLength;
  }

  /** Adds streamed text and returns the pieces it completed, in order (often none). */
  public List<String> append(String delta) {
    List<String> out = new ArrayList<>();
    if (delta == null || delta.isEmpty()) {
      return out;
    }
    pending.append(delta);
    int cut;
    while ((cut = nextCut()) > 0) {
      String piece = pending.substring(0, cut).strip();
      pending.delete(0, cut);
      stripLeadingWhitespace();
      if (!piece.isEmpty()) {
        out.add(piece);
      }
    }
    return out;
  }

  /** The rest of the text at the end of the stream, if any; the chunker is empty afterwards. */
  public Optional<String> finish() {
    String rest = pending.toString().strip();
    pending.setLength(0);
    return rest.isEmpty() ? Optional.empty() : Optional.of(rest);
  }

  /** Index just past the first speakable piece in {@code pending}, or 0 when none is complete. */
  private int nextCut() {
    stripLeadingWhitespace();
    int lastSpace = -1;
    for (int i = 0; i < pending.length(); i++) {
      char c = pending.charAt(i);
      if (c == '\n' || c == '\r') {
        if (!pending.substring(0, i).isBlank()) {
          return i + 1;
        }
        continue;
      }
      if (Character.isWhitespace(c)) {
        if (i <= maxLength) {
          lastSpace = i;
        }
        if (i >= maxLength) {
          return lastSpace > 0 ? lastSpace : i;
        }
        continue;
      }
      if (i >= maxLength && lastSpace > 0) {
        return lastSpace;
      }
      boolean sentence = SENTENCE_ENDS.indexOf(c) >= 0;
      boolean clause = CLAUSE_BREAKS.indexOf(c) >= 0;
      if (!sentence && !clause) {
        continue;
      }
      int end = i + 1;
      while (end < pending.length()
          && (SENTENCE_ENDS.indexOf(pending.charAt(end)) >= 0
              || CLOSERS.indexOf(pending.charAt(end)) >= 0)) {
        end++;
      }
      if (end >= pending.length()) {
        return 0; // what follows decides; wait for the next delta
      }
      if (!Character.isWhitespace(pending.charAt(end))) {
        i = end - 1;
        continue;
      }
      if (sentence && c == '.' && !endsSentence(i)) {
        i = end - 1;
        continue;
      }
      if (sentence || end >= minClauseLength) {
        return end;
      }
      i = end - 1;
    }
    return 0;
  }

  /** Whether the full stop at {@code dot} ends a sentence rather than a word like "Dr". */
  private boolean endsSentence(int dot) {
    int start = dot;
    while (start > 0 && !Character.isWhitespace(pending.charAt(start - 1))) {
      start--;
    }
    String word = pending.substring(start, dot);
    while (!word.isEmpty() && CLOSERS.indexOf(word.charAt(0)) >= 0) {
      word = word.substring(1);
    }
    if (word.isEmpty()) {
      return true;
    }
    if (ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT))) {
      return false;
    }
    // An initial such as "J." in "J. K. Rowling".
    if (word.codePointCount(0, word.length()) == 1 && Character.isUpperCase(word.codePointAt(0))) {
      return false;
    }
    // A list number opening the piece ("1. First") is read with its item.
    return !(start == 0 && word.chars().allMatch(Character::isDigit));
  }

  private void stripLeadingWhitespace() {
    int n = 0;
    while (n < pending.length() && Character.isWhitespace(pending.charAt(n))) {
      n++;
    }
    pending.delete(0, n);
  }
}
