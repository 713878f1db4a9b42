package io.parley.sim.twilio;

import io.parley.sim.http.Params;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The {@code StartTime} filters of Twilio's Calls list: {@code StartTime=YYYY-MM-DD} (calls that
 * started on that UTC date), {@code StartTime>=…} (on or after) and {@code StartTime<=…} (on or
 * before). On the wire the inequalities are the parameter names {@code StartTime>} and {@code
 * StartTime<} followed by {@code =}. Twilio documents dates; twilio-java sends date-times ({@code
 * YYYY-MM-DDTHH:mm:ss}, UTC), which are taken as that instant. A date in an inequality is its
 * midnight (00:00 UTC), as Twilio words it. A call that has not started (no {@code start_time})
 * matches no StartTime filter.
 */
record StartTimeFilter(Instant onDayStart, Instant notBefore, Instant notAfter) {

  static StartTimeFilter of(Params query) {
    // "Started on this date": a date-time given here stands for its UTC date.
    Instant day = instant(query.get("StartTime"));
    if (day != null) {
      day = day.truncatedTo(ChronoUnit.DAYS);
    }
    return new StartTimeFilter(
        day, instant(query.get("StartTime>")), instant(query.get("StartTime<")));
  }

  boolean test(Instant startTime) {
    if (onDayStart == null && notBefore == null && notAfter == null) {
      return true;
    }
    if (startTime == null) {
      return false;
    }
    if (onDayStart != null
        && (startTime.isBefore(onDayStart)
            || !startTime.isBefore(onDayStart.plusSeconds(86_400)))) {
      return false;
    }
    if (notBefore != null && startTime.isBefore(notBefore)) {
      return false;
    }
    return notAfter == null || !startTime.isAfter(notAfter);
  }

  private static Instant instant(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip();
    if (v.length() == 10) {
      return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    if (v.endsWith("Z")) {
      v = v.substring(0, v.length() - 1);
    }
    try {
      return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new DateTimeParseException("not a date or date-time", value, 0, e);
    }
  }
}
