package io.parley.support;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * Valid callee numbers whose own time zone is, right now, in the middle of the day (or of the
 * night). A {@code timeZone} in a dial request can narrow the calling window but never widen it, so
 * a test that dials must pick a callee the window allows by its number: a Los Angeles number is
 * refused at 3 a.m. Los Angeles time whatever zone the request names. The choice is made once, when
 * the class is loaded, so one test class dials the same numbers throughout.
 *
 * <pre>{@code
 * static final String PERSON = Callees.daytime(88);   // e.g. +12125550188 while New York is awake
 * }</pre>
 */
public final class Callees {

  /** A number template (two digits at the end) in a country or area with a single zone. */
  private record Area(String template, ZoneId zone) {}

  // US areas first, so the numbers look like the rest of the tests' whenever they can; the others
  // fill the hours when it is night across the US.
  private static final List<Area> AREAS =
      List.of(
          new Area("+121255501%02d", ZoneId.of("America/New_York")),
          new Area("+131255501%02d", ZoneId.of("America/Chicago")),
          new Area("+130355501%02d", ZoneId.of("America/Denver")),
          new Area("+141555501%02d", ZoneId.of("America/Los_Angeles")),
          new Area("+180855501%02d", ZoneId.of("Pacific/Honolulu")),
          new Area("+55119123456%02d", ZoneId.of("America/Sao_Paulo")),
          new Area("+4420794601%02d", ZoneId.of("Europe/London")),
          new Area("+4930123456%02d", ZoneId.of("Europe/Berlin")),
          new Area("+971423456%02d", ZoneId.of("Asia/Dubai")),
          new Area("+9198765432%02d", ZoneId.of("Asia/Kolkata")),
          new Area("+8610123456%02d", ZoneId.of("Asia/Shanghai")),
          new Area("+813123456%02d", ZoneId.of("Asia/Tokyo")),
          new Area("+612123456%02d", ZoneId.of("Australia/Sydney")),
          new Area("+64923456%02d", ZoneId.of("Pacific/Auckland")));

  // Far from the window's edges (08:00-21:00 by default), so a test run never crosses one.
  private static final Area DAY = first(10, 17);
  private static final Area NIGHT = first(1, 5);

  private Callees() {}

  /** A number ending in {@code suffix} (0 to 99) where it is between 10:00 and 17:59 now. */
  public static String daytime(int suffix) {
    return DAY.template().formatted(suffix);
  }

  /**
   * A number ending in {@code suffix} (0 to 9,999) where it is between 10:00 and 17:59 now: the
   * same area as {@link #daytime}, with two more digits free, for tests that need hundreds.
   */
  public static String daytimeWide(int suffix) {
    String template = DAY.template();
    String base = template.substring(0, template.length() - "%02d".length() - 2);
    return (base + "%04d").formatted(suffix);
  }

  /** A number ending in {@code suffix} (0 to 99) where it is between 01:00 and 05:59 now. */
  public static String atNight(int suffix) {
    return NIGHT.template().formatted(suffix);
  }

  private static Area first(int fromHour, int toHour) {
    Instant now = Instant.now();
    return AREAS.stream()
        .filter(
            area -> {
              int hour = LocalTime.ofInstant(now, area.zone()).getHour();
              return hour >= fromHour && hour <= toHour;
            })
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no listed zone is between those hours now"));
  }
}
