package io.parley.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failures per key in a sliding time window. Memory is bounded twice: each key keeps at most
 * {@code limit} timestamps (older ones cannot matter), and at most {@code maxKeys} keys are kept,
 * the least recently used being forgotten first.
 */
final class FailureWindow {

  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures;

  FailureWindow(int limit, Duration window, int maxKeys, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
    this.failures =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /** How long the key must wait before its next attempt, or empty when it may try now. */
  synchronized Optional<Duration> blockedFor(String key) {
    Deque<Instant> times = failures.get(key);
    if (times == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    prune(times, now);
    if (times.isEmpty()) {
      failures.remove(key);
      return Optional.empty();
    }
    if (times.size() < limit) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, times.peekFirst().plus(window)));
  }

  /** Records a failure; true when this failure used up the key's last allowed attempt. */
  synchronized boolean recordFailure(String key) {
    Instant now = clock.instant();
    Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    prune(times, now);
    times.addLast(now);
    while (times.size() > limit) {
      times.removeFirst();
    }
    return times.size() >= limit;
  }

  synchronized void reset(String key) {
    failures.remove(key);
  }

  synchronized int trackedKeys() {
    return failures.size();
  }

  private void prune(Deque<Instant> times, Instant now) {
    Instant horizon = now.minus(window);
    while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
      times.removeFirst();
    }
  }
}
