package io.parley.compliance;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code PARLEY_NUMBER_DAILY_CAP} (default 3): how many outbound attempts one number may receive
 * over a rolling 24 hours, across every campaign and manual call. Several US states cap calls to a
 * number at three per day (e.g. Florida's Telephone Solicitation Act); the same number rung more
 * often is what callers complain about.
 */
@ConfigurationProperties("parley")
record GateProperties(Integer numberDailyCap) {

  static final int DEFAULT_NUMBER_DAILY_CAP = 3;

  GateProperties {
    numberDailyCap = numberDailyCap == null ? DEFAULT_NUMBER_DAILY_CAP : numberDailyCap;
    if (numberDailyCap < 1) {
      throw new IllegalArgumentException(
          "PARLEY_NUMBER_DAILY_CAP must be 1 or more, not " + numberDailyCap);
    }
  }
}
