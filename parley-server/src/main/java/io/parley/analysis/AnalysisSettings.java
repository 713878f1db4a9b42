package io.parley.analysis;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Post-call analysis settings.
 *
 * @param concurrency {@code PARLEY_ANALYSIS_CONCURRENCY}: analyses one node runs at once, 1 to 64;
 *     default 2. Analyses are jobs, so {@code PARLEY_JOBS_CONCURRENCY} bounds them too; this keeps
 *     a burst of ended calls from taking every job slot and every model request of the node.
 * @param firstTokenBudget {@code PARLEY_ANALYSIS_FIRST_TOKEN_BUDGET}: how long one request may wait
 *     for the model to start answering (its one transport retry included); default 30s
 * @param delay {@code PARLEY_ANALYSIS_DELAY}: how long after a call's end its analysis runs, 0 to 1
 *     h; default 10s. The carrier's end of the call can arrive before the call's last transcript
 *     segments are written (they are written in order, off the media loop); the delay lets them
 *     land.
 */
@ConfigurationProperties("parley.analysis")
record AnalysisSettings(Integer concurrency, Duration firstTokenBudget, Duration delay) {

  AnalysisSettings {
    concurrency = concurrency == null ? 2 : concurrency;
    if (concurrency < 1 || concurrency > 64) {
      throw new IllegalArgumentException(
          "PARLEY_ANALYSIS_CONCURRENCY must be 1 to 64, was " + concurrency);
    }
    firstTokenBudget = firstTokenBudget == null ? Duration.ofSeconds(30) : firstTokenBudget;
    if (firstTokenBudget.isNegative() || firstTokenBudget.isZero()) {
      throw new IllegalArgumentException(
          "PARLEY_ANALYSIS_FIRST_TOKEN_BUDGET must be positive, was " + firstTokenBudget);
    }
    delay = delay == null ? Duration.ofSeconds(10) : delay;
    if (delay.isNegative() || delay.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("PARLEY_ANALYSIS_DELAY must be 0 to 1h, was " + delay);
    }
  }
}
