package io.parley.media;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * When the media loops count as overloaded ({@code PARLEY_MEDIA_*}).
 *
 * @param overloadLag {@code PARLEY_MEDIA_OVERLOAD_LAG}: a loop whose timer probe runs this much
 *     later than it was due makes the node refuse new calls until every loop has kept within it for
 *     {@link LoopMonitor#RECOVERY_HOLD}. A caller hears a loop's lag as a gap in the audio (a frame
 *     is 20 ms), hence the default of 20 ms.
 */
@ConfigurationProperties("parley.media")
public record MediaLoadSettings(Duration overloadLag) {

  public static final Duration DEFAULT_OVERLOAD_LAG = Duration.ofMillis(20);

  public MediaLoadSettings {
    if (overloadLag == null) {
      overloadLag = DEFAULT_OVERLOAD_LAG;
    }
    if (overloadLag.isNegative() || overloadLag.isZero()) {
      throw new IllegalArgumentException(
          "PARLEY_MEDIA_OVERLOAD_LAG must be longer than zero, was " + overloadLag);
    }
  }
}
