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
 */
@ConfigurationProperties("parley.analysis")
record AnalysisSettings(Integer concurrency, Duration firstTokenBudget) {

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
  }
}
