package io.parley.prompts;

import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

/** IANA time zone names as Java's tz database knows them. */
final class TimeZones {

  private static final Set<String> IANA = ZoneId.getAvailableZoneIds();

  private TimeZones() {}

  /** The zone for an IANA region name such as {@code Asia/Kolkata}; empty for anything else. */
  static Optional<ZoneId> parse(String name) {
    return name != null && IANA.contains(name) ? Optional.of(ZoneId.of(name)) : Optional.empty();
  }
}
