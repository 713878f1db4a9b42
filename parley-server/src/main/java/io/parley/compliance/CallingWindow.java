package io.parley.compliance;

import io.parley.compliance.CallingDecision.Verdict;
import io.parley.compliance.CallingDecision.ZoneSource;
import io.parley.shared.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The calling-hours rule ({@code PARLEY_CALLING_WINDOW}, default 08:00-21:00), evaluated in the
 * callee's local time at the moment of dialing.
 *
 * <p>The zones come from libphonenumber's prefix map. When that map places the number in several
 * zones (some US area codes, toll-free numbers, countries such as Russia or Brazil) the call is
 * allowed only if the local time is inside the window in <em>every</em> candidate zone: the most
 * restrictive reading, because calling someone at 7 a.m. is a violation whichever of their possible
 * zones is the real one. A zone the request names (a lead's address) fills in where the number's
 * zone is unknown; where both are known it is checked as well, so it can narrow the window but
 * never widen it. A number with no known zone is refused until the caller names one. The rule fails
 * closed.
 */
@Component
public class CallingWindow {

  // How far ahead to look for a window shared by all candidate zones before giving up.
  private static final Duration SEARCH_HORIZON = Duration.ofDays(8);
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
  private static final Set<String> IANA = ZoneId.getAvailableZoneIds();

  private final WindowHours hours;
  private final Clock clock;

  @Autowired
  CallingWindow(CallingWindowProperties properties, ObjectProvider<Clock> clock) {
    this(properties.hours(), clock.getIfUnique(Clock::systemUTC));
  }

  CallingWindow(WindowHours hours, Clock clock) {
    this.hours = hours;
    this.clock = clock;
  }

  /** The configured daily hours. */
  public WindowHours hours() {
    return hours;
  }

  /**
   * Checks a call to {@code phoneNumber} placed now.
   *
   * @param phoneNumber the callee, in E.164 form
   * @param timeZone an IANA zone such as {@code America/New_York} when the caller knows where the
   *     callee is (a lead's address), checked together with the number's own zones; null or blank
   *     to use the number's alone
   * @throws InvalidInputException naming {@code phoneNumber} or {@code timeZone} when either is not
   *     acceptable
   */
  public CallingDecision check(String phoneNumber, String timeZone) {
    String number = PhoneNumbers.canonical(phoneNumber, "phoneNumber");
    ZoneId requested = timeZone == null || timeZone.isBlank() ? null : zone(timeZone.strip());
    Instant now = clock.instant();
    List<ZoneId> numberZones = PhoneNumbers.zonesOf(number);
    if (numberZones.isEmpty() && requested == null) {
      return new CallingDecision(
          false,
          Verdict.ZONE_UNKNOWN,
          null,
          null,
          List.of(),
          null,
          now,
          null,
          hours.toString(),
          "zone unknown: the callee's time zone cannot be told from "
              + number
              + "; name one (an IANA zone such as America/New_York)");
    }
    if (numberZones.isEmpty()) {
      return decide(now, List.of(requested), ZoneSource.REQUEST);
    }
    if (requested == null) {
      return decide(now, numberZones, ZoneSource.PHONE_NUMBER);
    }
    List<ZoneId> zones = new ArrayList<>(numberZones);
    if (!zones.contains(requested)) {
      zones.add(requested);
    }
    return decide(now, zones, ZoneSource.PHONE_NUMBER_AND_REQUEST);
  }

  private CallingDecision decide(Instant now, List<ZoneId> zones, ZoneSource source) {
    Optional<ZoneId> refusing = zones.stream().filter(zone -> !inside(zone, now)).findFirst();
    ZoneId deciding = refusing.orElse(zones.getFirst());
    LocalDateTime local = LocalDateTime.ofInstant(now, deciding);
    String clockText = HH_MM.format(local) + " in " + deciding;
    String several =
        zones.size() == 1
            ? ""
            : " (checked in "
                + zones.size()
                + " zones, "
                + (source == ZoneSource.PHONE_NUMBER_AND_REQUEST
                    ? "the number's and the one requested"
                    : "the number may be in any of them")
                + ": "
                + zones.stream().map(ZoneId::getId).collect(Collectors.joining(", "))
                + "; every one must be inside the window)";
    if (refusing.isEmpty()) {
      return new CallingDecision(
          true,
          Verdict.ALLOWED,
          source,
          deciding,
          zones,
          local,
          now,
          now,
          hours.toString(),
          clockText + " is inside the calling window " + hours + several);
    }
    return new CallingDecision(
        false,
        Verdict.OUTSIDE_WINDOW,
        source,
        deciding,
        zones,
        local,
        now,
        nextAllowed(zones, now),
        hours.toString(),
        clockText + " is outside the calling window " + hours + several);
  }

  private boolean inside(ZoneId zone, Instant instant) {
    return hours.contains(LocalTime.ofInstant(instant, zone));
  }

  /**
   * The earliest instant from {@code from} on when every zone is inside the window: take the latest
   * of the zones' own next openings and repeat until all agree. A round that does not end the
   * search has moved forward (had every zone opened at once, all would agree), so this ends; zones
   * that share no window within the horizon give null.
   */
  private Instant nextAllowed(List<ZoneId> zones, Instant from) {
    Instant limit = from.plus(SEARCH_HORIZON);
    Instant candidate = from;
    while (candidate.isBefore(limit)) {
      Instant at = candidate;
      Instant latest =
          zones.stream().map(zone -> nextOpening(zone, at)).max(Comparator.naturalOrder()).get();
      if (zones.stream().allMatch(zone -> inside(zone, latest))) {
        return latest;
      }
      candidate = latest;
    }
    return null;
  }

  /** The earliest instant from {@code from} on when the local time in {@code zone} is inside. */
  private Instant nextOpening(ZoneId zone, Instant from) {
    ZonedDateTime local = from.atZone(zone);
    if (hours.contains(local.toLocalTime())) {
      return from;
    }
    LocalDate day = local.toLocalDate();
    if (!local.toLocalTime().isBefore(hours.start())) {
      day = day.plusDays(1);
    }
    return opening(day, zone);
  }

  /**
   * When the window opens on {@code day}. If the start time does not exist that day (the clock
   * jumps over it when daylight saving begins), the window opens at the jump: the first wall-clock
   * time after it is already inside. If it exists twice (the clock falls back), the first one
   * counts.
   */
  private Instant opening(LocalDate day, ZoneId zone) {
    LocalDateTime start = day.atTime(hours.start());
    ZoneRules rules = zone.getRules();
    if (rules.getValidOffsets(start).isEmpty()) {
      return rules.getTransition(start).getInstant();
    }
    return start.atZone(zone).withEarlierOffsetAtOverlap().toInstant();
  }

  private static ZoneId zone(String name) {
    if (!IANA.contains(name)) {
      throw new InvalidInputException(
          "timeZone", "is not an IANA time zone name (such as America/New_York): " + name);
    }
    return ZoneId.of(name);
  }
}
