package io.parley.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The overload rule on a clock the test moves: trip on lag that persists (three late probes in
 * about a second), not on one hiccup; recover after the hold.
 */
class LoopLagTest {

  private static final long MS = 1_000_000L;
  private static final long PERIOD = 100 * MS;
  private static final long LIMIT = 20 * MS;
  private static final long HOLD = 2_000 * MS;

  private long now = 5_000 * MS;
  private final LoopLag lag = new LoopLag(LIMIT, HOLD, now);

  /** A probe that starts {@code late} after it was due and schedules the next one. */
  private long probe(long late) {
    now += late;
    long measured = lag.ran(now);
    lag.expect(now + PERIOD);
    now += PERIOD;
    return measured;
  }

  @Test
  void probesOnTimeNeverOverload() {
    lag.expect(now + PERIOD);
    now += PERIOD;
    for (int i = 0; i < 50; i++) {
      assertThat(probe(3 * MS)).isEqualTo(3 * MS);
      assertThat(lag.overloaded(now)).isFalse();
    }
  }

  @Test
  void oneLateProbeIsAHiccupNotOverload() {
    lag.expect(now + PERIOD);
    now += PERIOD;
    assertThat(probe(90 * MS)).isEqualTo(90 * MS);
    assertThat(lag.overloaded(now)).isFalse();
    for (int i = 0; i < 9; i++) {
      probe(MS);
    }
    // a second late probe a second later is another hiccup, not a sustained lag
    probe(40 * MS);
    probe(40 * MS);
    assertThat(lag.overloaded(now)).isFalse();
  }

  @Test
  void lagThatPersistsOverloadsUntilTheHoldHasPassedQuietly() {
    lag.expect(now + PERIOD);
    now += PERIOD;
    probe(2 * MS);
    assertThat(lag.overloaded(now)).isFalse();

    probe(45 * MS);
    probe(2 * MS);
    probe(30 * MS);
    assertThat(lag.overloaded(now)).isFalse();
    assertThat(probe(45 * MS)).isEqualTo(45 * MS);
    long lastLate = now - PERIOD; // when the third late probe started
    assertThat(lag.overloaded(now)).isTrue();

    // Quiet probes: still overloaded until two seconds after the late one.
    while (now - lastLate < HOLD) {
      assertThat(lag.overloaded(now)).isTrue();
      probe(MS);
    }
    assertThat(lag.overloaded(now)).isFalse();
  }

  @Test
  void aLateProbeDuringTheHoldStartsItAgain() {
    lag.expect(now + PERIOD);
    now += PERIOD;
    probe(30 * MS);
    probe(30 * MS);
    probe(30 * MS);
    for (int i = 0; i < 15; i++) {
      probe(MS);
    }
    probe(25 * MS);
    probe(25 * MS);
    probe(25 * MS);
    long again = now - PERIOD;
    for (int i = 0; i < 15; i++) {
      probe(MS);
    }
    assertThat(now - again).isLessThan(HOLD);
    assertThat(lag.overloaded(now)).isTrue();
  }

  @Test
  void aLagExactlyAtTheLimitIsNotOverload() {
    lag.expect(now + PERIOD);
    now += PERIOD;
    probe(LIMIT);
    assertThat(lag.overloaded(now)).isFalse();
  }

  @Test
  void anOverdueProbeOverloadsBeforeItRuns() {
    lag.expect(now + PERIOD);
    now += PERIOD;
    // The loop is stuck in one task: its probe does not run at all.
    assertThat(lag.overloaded(now + 10 * MS)).isFalse();
    assertThat(lag.overloaded(now + 99 * MS)).isFalse();
    assertThat(lag.overloaded(now + 101 * MS)).isTrue();
    assertThat(lag.recent(now + 500 * MS)).isEqualTo(500 * MS);
  }

  @Test
  void theRecentLagIsTheWorstOfAboutTheLastSecond() {
    lag.expect(now + PERIOD);
    now += PERIOD;
    probe(15 * MS);
    probe(4 * MS);
    assertThat(lag.recent(now - PERIOD)).isEqualTo(15 * MS);
    // Two windows later the 15 ms probe is forgotten.
    for (int i = 0; i < 25; i++) {
      probe(2 * MS);
    }
    assertThat(lag.recent(now - PERIOD)).isEqualTo(2 * MS);
  }
}
