package io.parley.conversation;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides what the caller's speech does while the agent is talking. One instance per call, owned by
 * the call's loop: it keeps what the caller has said since the agent could last be interrupted, so
 * it is not thread-safe and needs no lock. Times are the caller's clock in milliseconds; the rule
 * reads no clock of its own.
 *
 * <p>With both minimums at 0 any sign of speech interrupts at once. Otherwise the first sign of
 * speech only pauses the agent's audio, the transcript that satisfies the rule interrupts, and a
 * backchannel or the end of the caller's speech resumes the paused reply.
 */
public final class BargeInRule {

  /**
   * The agent's barge-in settings (the agents module's turn-taking values, copied so this module
   * does not depend on it).
   *
   * @param minWords words the caller must say before the agent stops, 0 or more
   * @param minSpeechMs speech in milliseconds the caller must make before the agent stops, 0 or
   *     more
   * @param backchannels short phrases that never interrupt, matched whole, ignoring case and
   *     punctuation
   */
  public record Settings(int minWords, int minSpeechMs, List<String> backchannels) {
    public Settings {
      if (minWords < 0) {
        throw new IllegalArgumentException("minWords must be 0 or more");
      }
      if (minSpeechMs < 0) {
        throw new IllegalArgumentException("minSpeechMs must be 0 or more");
      }
      backchannels = List.copyOf(backchannels);
    }

    boolean immediate() {
      return minWords == 0 && minSpeechMs == 0;
    }
  }

  /** What the caller did, as the speech-to-text stream reported it. */
  public sealed interface Heard {}

  /** Voice activity began. */
  public record SpeechStarted(long atMs) implements Heard {}

  /**
   * An interim or final transcript of the current speech segment. Interims of one segment repeat
   * and extend each other; a final closes the segment.
   *
   * @param speechMs how long the caller spoke for this text
   */
  public record Transcript(String text, long speechMs, boolean isFinal, long atMs)
      implements Heard {
    public Transcript {
      Objects.requireNonNull(text, "text");
    }
  }

  /** The caller stopped talking (utterance end or silence). */
  public record SpeechEnded(long atMs) implements Heard {}

  /** What to do with the agent's reply. */
  public sealed interface Decision {}

  /** Nothing changes. */
  public enum Ignore implements Decision {
    INSTANCE
  }

  /** Hold the outgoing audio (keep it queued) until the rule confirms or the caller stops. */
  public enum PauseAudio implements Decision {
    INSTANCE
  }

  /** Carry on playing the paused reply. */
  public enum ResumeAudio implements Decision {
    INSTANCE
  }

  /**
   * Cancel the LLM and TTS, drop queued audio and send {@code clear}.
   *
   * @param speechStartedAtMs when the interrupting speech began, for the barge-in reaction time
   */
  public record Interrupt(long speechStartedAtMs) implements Decision {}

  private static final long UNKNOWN = Long.MIN_VALUE;

  private final Settings settings;
  private final List<List<String>> backchannels;

  // State of the caller's speech since the agent could last be interrupted.
  private long speechStartedAtMs = UNKNOWN;
  private boolean paused;
  private boolean interrupted;
  private final StringBuilder finalText = new StringBuilder();
  private long finalSpeechMs;

  public BargeInRule(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    List<List<String>> phrases = new ArrayList<>();
    for (String phrase : settings.backchannels()) {
      List<String> tokens = tokens(phrase);
      if (!tokens.isEmpty()) {
        phrases.add(tokens);
      }
    }
    this.backchannels = List.copyOf(phrases);
  }

  /**
   * Decides what {@code heard} does.
   *
   * @param agentSpeaking whether the agent's reply is playing or paused; when it is not, the caller
   *     is simply taking their turn and everything is ignored
   */
  public Decision decide(Heard heard, boolean agentSpeaking) {
    Objects.requireNonNull(heard, "heard");
    if (!agentSpeaking) {
      reset();
      return Ignore.INSTANCE;
    }
    if (interrupted) {
      // The reply is already being cancelled; the rest of this speech belongs to the next turn.
      if (heard instanceof SpeechEnded) {
        reset();
      }
      return Ignore.INSTANCE;
    }
    return switch (heard) {
      case SpeechStarted s -> onSpeechStarted(s);
      case Transcript t -> onTranscript(t);
      case SpeechEnded e -> onSpeechEnded();
    };
  }

  private Decision onSpeechStarted(SpeechStarted started) {
    if (speechStartedAtMs == UNKNOWN) {
      speechStartedAtMs = started.atMs();
    }
    if (settings.immediate()) {
      return interrupt();
    }
    if (paused) {
      return Ignore.INSTANCE;
    }
    paused = true;
    return PauseAudio.INSTANCE;
  }

  private Decision onTranscript(Transcript transcript) {
    // Interims only extend the open segment; finals close it, so the utterance so far is every
    // final plus the latest text.
    String text = finalText.isEmpty() ? transcript.text() : finalText + " " + transcript.text();
    long speechMs = finalSpeechMs + Math.max(0, transcript.speechMs());
    if (transcript.isFinal()) {
      finalText.setLength(0);
      finalText.append(text);
      finalSpeechMs = speechMs;
    }
    List<String> tokens = tokens(text);
    if (tokens.isEmpty()) {
      return Ignore.INSTANCE;
    }
    if (speechStartedAtMs == UNKNOWN) {
      speechStartedAtMs = transcript.atMs() - Math.max(0, transcript.speechMs());
    }
    if (settings.immediate()) {
      return interrupt();
    }
    if (isBackchannel(tokens)) {
      // An interim "okay" may still grow into "okay, stop"; only a final backchannel resumes.
      if (!transcript.isFinal()) {
        return Ignore.INSTANCE;
      }
      // The backchannel is over: what the caller says next is judged on its own.
      boolean wasPaused = paused;
      reset();
      return wasPaused ? ResumeAudio.INSTANCE : Ignore.INSTANCE;
    }
    if (wordCount(text) >= settings.minWords() && speechMs >= settings.minSpeechMs()) {
      return interrupt();
    }
    // Words are speech even when the VAD event is late or missing.
    if (!paused) {
      paused = true;
      return PauseAudio.INSTANCE;
    }
    return Ignore.INSTANCE;
  }

  private Decision onSpeechEnded() {
    boolean wasPaused = paused;
    reset();
    return wasPaused ? ResumeAudio.INSTANCE : Ignore.INSTANCE;
  }

  private Decision interrupt() {
    long startedAt = speechStartedAtMs;
    reset();
    interrupted = true;
    return new Interrupt(startedAt);
  }

  private void reset() {
    speechStartedAtMs = UNKNOWN;
    paused = false;
    interrupted = false;
    finalText.setLength(0);
    finalSpeechMs = 0;
  }

  /**
   * Whether the tokens are one or more backchannel phrases back to back ("yeah yeah", "हाँ जी").
   */
  private boolean isBackchannel(List<String> tokens) {
    boolean[] reachable = new boolean[tokens.size() + 1];
    reachable[0] = true;
    for (int i = 0; i < tokens.size(); i++) {
      if (!reachable[i]) {
        continue;
      }
      for (List<String> phrase : backchannels) {
        int end = i + phrase.size();
        if (end <= tokens.size() && tokens.subList(i, end).equals(phrase)) {
          reachable[end] = true;
        }
      }
    }
    return reachable[tokens.size()];
  }

  /**
   * Lower-cased runs of letters, combining marks and digits. Marks must be kept: Devanagari vowel
   * signs and the candrabindu in "हाँ" are combining marks, not punctuation. Hyphens split, so
   * "Uh-huh." and "uh huh" match the same phrase.
   */
  static List<String> tokens(String text) {
    String normalized = Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    List<String> tokens = new ArrayList<>();
    int start = -1;
    int i = 0;
    while (i <= normalized.length()) {
      int cp = i < normalized.length() ? normalized.codePointAt(i) : ' ';
      boolean wordChar = Character.isLetterOrDigit(cp) || isMark(cp);
      if (wordChar && start < 0) {
        start = i;
      } else if (!wordChar && start >= 0) {
        tokens.add(normalized.substring(start, i));
        start = -1;
      }
      i += i < normalized.length() ? Character.charCount(cp) : 1;
    }
    return tokens;
  }

  /** Words as the caller said them: "uh-huh" is one word, a lone dash or "।" is none. */
  static int wordCount(String text) {
    int count = 0;
    for (String part : text.strip().split("\\s+")) {
      if (part.codePoints().anyMatch(Character::isLetterOrDigit)) {
        count++;
      }
    }
    return count;
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }
}
