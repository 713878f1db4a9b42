package io.parley.campaigns;

import java.time.Duration;

/**
 * A campaign's abandonment over the rolling period the rules measure it on (30 days, or the
 * campaign's life when shorter): drops over live answers. Machine and fax answers hung up on by
 * answering-machine detection are not live answers; they are reported as their own rate.
 *
 * @param answered attempts anyone or anything answered
 * @param liveAnswered answers by a person, or unknown, or with detection off
 * @param drops live answers that heard no agent within 2 s, or that Parley ended before speaking
 * @param amdHangUps answers detection found a machine or fax on (and Parley hung up)
 */
public record DropRate(long answered, long liveAnswered, long drops, long amdHangUps) {

  /** The period the rate is measured over. */
  static final Duration PERIOD = Duration.ofDays(30);

  /**
   * Until a campaign has this many live answers, its control counts as if it had this many: one
   * drop among its first ten answers must not stop it for good (the rate the rules judge is over
   * the whole period), and three among its first hundred must.
   */
  static final long MIN_SAMPLE = 100;

  /** What the dispatcher does about the rate. */
  enum Control {
    /** Dial as set. */
    NORMAL,
    /** Near the limit: dial at half the concurrency, so fewer answers wait for the agent. */
    SLOW,
    /** At the limit: pause the campaign. */
    PAUSE
  }

  static DropRate none() {
    return new DropRate(0, 0, 0, 0);
  }

  /** Drops over live answers, or null before the first live answer. */
  public Double rate() {
    return liveAnswered == 0 ? null : (double) drops / liveAnswered;
  }

  /** AMD hang-ups over answers, or null before the first answer. */
  public Double amdHangUpRate() {
    return answered == 0 ? null : (double) amdHangUps / answered;
  }

  /**
   * The rate the control acts on: drops over live answers, counted as at least {@link #MIN_SAMPLE}.
   */
  double controlPercent() {
    return 100.0 * drops / Math.max(liveAnswered, MIN_SAMPLE);
  }

  Control control(AbandonmentSettings limits) {
    double percent = controlPercent();
    if (drops > 0 && percent >= limits.limitPercent().doubleValue()) {
      return Control.PAUSE;
    }
    if (drops > 0 && percent >= limits.warnPercent().doubleValue()) {
      return Control.SLOW;
    }
    return Control.NORMAL;
  }

  /**
   * The concurrency to dial at under {@code control}: half the setting (one at least) when slow.
   */
  static int concurrency(Control control, int maxConcurrentCalls) {
    return control == Control.SLOW ? Math.max(1, maxConcurrentCalls / 2) : maxConcurrentCalls;
  }

  /** The sentence the pause is audited with. */
  String pauseReason(AbandonmentSettings limits) {
    return "the abandonment rate reached its limit: "
        + drops
        + " drops over "
        + liveAnswered
        + " live answers in 30 days (counted over at least "
        + MIN_SAMPLE
        + "), limit "
        + limits.limitPercent().stripTrailingZeros().toPlainString()
        + " %";
  }
}
