package io.parley.compliance;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * Whether a call to a number may ring now, and why.
 *
 * @param allowed true only when the local time is inside the window in every zone checked
 * @param verdict {@code allowed}, {@code outside_window} or {@code zone_unknown}
 * @param zoneSource where the zones came from: {@code phone_number} (libphonenumber's prefix map),
 *     {@code request} (named by the caller because the number's zone is unknown) or {@code
 *     phone_number_and_request} (both, all checked); null when no zone could be found
 * @param zone the zone that decided: the first one outside the window when refused, else the first
 *     one checked; null when unknown
 * @param zonesChecked every zone the call was checked in: the number's (several for an ambiguous
 *     number), then the requested one if it is not among them
 * @param localTime the callee's wall-clock time in {@code zone} at {@code checkedAt}
 * @param checkedAt the instant the rule was evaluated for
 * @param nextAllowedAt the earliest instant at or after {@code checkedAt} when the call would be
 *     allowed ({@code checkedAt} itself when allowed); null when the zone is unknown or the zones
 *     share no window in the coming week
 * @param window the configured calling hours
 * @param reason a sentence for people and logs
 */
public record CallingDecision(
    boolean allowed,
    Verdict verdict,
    ZoneSource zoneSource,
    ZoneId zone,
    List<ZoneId> zonesChecked,
    LocalDateTime localTime,
    Instant checkedAt,
    Instant nextAllowedAt,
    String window,
    String reason) {

  public CallingDecision {
    zonesChecked = List.copyOf(zonesChecked);
  }

  /** The outcome of a check. */
  public enum Verdict {
    ALLOWED,
    OUTSIDE_WINDOW,
    ZONE_UNKNOWN;

    @JsonValue
    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where the callee's zones came from. */
  public enum ZoneSource {
    REQUEST,
    PHONE_NUMBER,
    PHONE_NUMBER_AND_REQUEST;

    @JsonValue
    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
