package io.parley.dialing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Call reconciliation ({@code PARLEY_RECONCILER_*}).
 *
 * @param interval {@code PARLEY_RECONCILER_INTERVAL}: how often a running node looks for open calls
 *     of dead nodes after its start-up run; default one minute
 */
@ConfigurationProperties("parley.reconciler")
record ReconcilerSettings(Duration interval) {

  static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  ReconcilerSettings {
    interval = interval == null ? DEFAULT_INTERVAL : interval;
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "PARLEY_RECONCILER_INTERVAL must be longer than zero, was " + interval);
    }
  }
}
