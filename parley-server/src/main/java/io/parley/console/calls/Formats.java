package io.parley.console.calls;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the calls pages write times and lengths: UTC to the second, m:ss. */
final class Formats {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Formats() {}

  static String time(Instant at) {
    return at == null ? "" : TIME.format(at);
  }

  static String duration(Integer seconds) {
    return seconds == null ? "" : clock(seconds * 1000L);
  }

  /** {@code 1:05} for 65,000 ms; {@code 1:02:03} past the hour. */
  static String clock(long millis) {
    long seconds = millis / 1000;
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    return h > 0 ? "%d:%02d:%02d".formatted(h, m, s) : "%d:%02d".formatted(m, s);
  }
}
