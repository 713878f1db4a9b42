package io.parley.campaigns;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The campaign dispatcher ({@code PARLEY_CAMPAIGNS_*}).
 *
 * @param lease {@code PARLEY_CAMPAIGNS_LEASE}: how long a node's claim on a lead outlives the
 *     lead's dial slot; a node that has not dialled by then is taken for dead and the lead returns
 *     to the pool (default 60 s; longer than any pause a live node makes between slot and dial)
 */
@ConfigurationProperties("parley.campaigns")
record DispatcherSettings(Duration lease) {

  static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

  DispatcherSettings {
    lease = lease == null ? DEFAULT_LEASE : lease;
    if (lease.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException(
          "PARLEY_CAMPAIGNS_LEASE must be 2 seconds or more, was " + lease);
    }
  }
}
