package io.parley.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The caller's key presses, gathered into bursts so a transcript shows "[pressed 4521#]" once
 * instead of a row per key. A burst ends when no key came for {@link #GAP}, when it holds {@link
 * #MAX_DIGITS} keys, or when the call ends. The time is passed in, so the rule is tested on made-up
 * instants; the call's loop alone uses an instance.
 */
final class DtmfBursts {

  /** Silence after a key that ends the burst. */
  static final Duration GAP = Duration.ofSeconds(3);

  /** Keys one burst holds at most (a long account number fits). */
  static final int MAX_DIGITS = 32;

  /**
   * Keys pressed in one go.
   *
   * @param digits the keys, in order
   * @param firstAt when the first was pressed
   * @param lastAt when the last was pressed
   */
  record Burst(String digits, Instant firstAt, Instant lastAt) {}

  private final StringBuilder digits = new StringBuilder();
  private Instant firstAt;
  private Instant lastAt;

  /** Adds a key pressed at {@code at}; returns the burst this ends, if any. */
  Optional<Burst> press(String digit, Instant at) {
    Optional<Burst> ended = due(at);
    if (digits.isEmpty()) {
      firstAt = at;
    }
    digits.append(digit);
    lastAt = at;
    return digits.length() >= MAX_DIGITS ? Optional.of(take()) : ended;
  }

  /** The open burst, once no key has come for {@link #GAP} by {@code now}. */
  Optional<Burst> due(Instant now) {
    if (digits.isEmpty() || now.isBefore(lastAt.plus(GAP))) {
      return Optional.empty();
    }
    return Optional.of(take());
  }

  /** The open burst, whatever its age: the call is ending. */
  Optional<Burst> finish() {
    return digits.isEmpty() ? Optional.empty() : Optional.of(take());
  }

  private Burst take() {
    Burst burst = new Burst(digits.toString(), firstAt, lastAt);
    digits.setLength(0);
    return burst;
  }
}
