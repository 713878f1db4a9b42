package io.parley.campaigns;

import io.parley.compliance.CampaignHours;
import io.parley.compliance.UsStates;
import io.parley.compliance.WindowHours;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Reads a campaign's own calling hours from its settings: {@code callingHours} (weekday name to
 * {@code HH:mm-HH:mm} or {@code closed}), {@code stateHours} (US state code to {@code HH:mm-HH:mm})
 * and {@code holidays} (dates). They are kept in the settings as the texts they were given
 * (normalised), and turned into the compliance gate's {@link CampaignHours} when dialled.
 */
final class CallingHoursSettings {

  static final String CLOSED = "closed";
  static final int MAX_HOLIDAYS = 366;

  private CallingHoursSettings() {}

  static Map<String, String> weekdays(JsonNode node, String path, Map<String, String> errors) {
    Map<String, String> hours = new TreeMap<>();
    if (node == null || node.isNull()) {
      return hours;
    }
    if (!node.isObject()) {
      errors.put(
          path, "must be an object of weekdays to hours, e.g. {\"saturday\": \"10:00-14:00\"}");
      return hours;
    }
    for (String name : node.propertyNames()) {
      String day = name.toLowerCase(Locale.ROOT);
      JsonNode value = node.get(name);
      if (!isDay(day)) {
        errors.put(path + "." + name, "is not a weekday (monday to sunday)");
      } else if (value.isString() && value.asString().strip().equalsIgnoreCase(CLOSED)) {
        hours.put(day, CLOSED);
      } else {
        window(value, path + "." + name, errors).ifPresent(w -> hours.put(day, w));
      }
    }
    return hours;
  }

  static Map<String, String> states(JsonNode node, String path, Map<String, String> errors) {
    Map<String, String> hours = new TreeMap<>();
    if (node == null || node.isNull()) {
      return hours;
    }
    if (!node.isObject()) {
      errors.put(
          path, "must be an object of US state codes to hours, e.g. {\"FL\": \"08:00-20:00\"}");
      return hours;
    }
    for (String name : node.propertyNames()) {
      String state = name.toUpperCase(Locale.ROOT);
      if (!UsStates.CODES.contains(state)) {
        errors.put(path + "." + name, "is not a US state code (two letters, e.g. FL)");
      } else {
        window(node.get(name), path + "." + name, errors).ifPresent(w -> hours.put(state, w));
      }
    }
    return hours;
  }

  static List<String> holidays(JsonNode node, String path, Map<String, String> errors) {
    List<String> dates = new ArrayList<>();
    if (node == null || node.isNull()) {
      return dates;
    }
    if (!node.isArray() || node.size() > MAX_HOLIDAYS) {
      errors.put(path, "must be a list of at most " + MAX_HOLIDAYS + " dates such as 2026-12-25");
      return dates;
    }
    HashSet<String> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode value = node.get(i);
      try {
        String date = LocalDate.parse(value.isString() ? value.asString().strip() : "").toString();
        if (seen.add(date)) {
          dates.add(date);
        }
      } catch (DateTimeException e) {
        errors.put(path + "[" + i + "]", "must be a date such as 2026-12-25");
      }
    }
    dates.sort(null);
    return dates;
  }

  /** The gate's form of the hours, or null when the campaign has none of its own. */
  static CampaignHours of(
      Map<String, String> weekdays, Map<String, String> states, List<String> holidays) {
    if (weekdays.isEmpty() && states.isEmpty() && holidays.isEmpty()) {
      return null;
    }
    Map<DayOfWeek, WindowHours> days = new EnumMap<>(DayOfWeek.class);
    EnumSet<DayOfWeek> closed = EnumSet.noneOf(DayOfWeek.class);
    weekdays.forEach(
        (day, hours) -> {
          DayOfWeek weekday = DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT));
          if (hours.equals(CLOSED)) {
            closed.add(weekday);
          } else {
            days.put(weekday, WindowHours.parse(hours));
          }
        });
    Map<String, WindowHours> byState = new HashMap<>();
    states.forEach((state, hours) -> byState.put(state, WindowHours.parse(hours)));
    return new CampaignHours(
        days,
        closed,
        byState,
        holidays.stream().map(LocalDate::parse).collect(java.util.stream.Collectors.toSet()));
  }

  private static boolean isDay(String day) {
    for (DayOfWeek weekday : DayOfWeek.values()) {
      if (weekday.name().toLowerCase(Locale.ROOT).equals(day)) {
        return true;
      }
    }
    return false;
  }

  private static java.util.Optional<String> window(
      JsonNode value, String path, Map<String, String> errors) {
    try {
      if (!value.isString()) {
        throw new IllegalArgumentException("not text");
      }
      return java.util.Optional.of(WindowHours.parse(value.asString()).toString());
    } catch (IllegalArgumentException e) {
      errors.put(path, "must be hours such as 09:00-20:00 (start before end, same day) or closed");
      return java.util.Optional.empty();
    }
  }

  static Map<String, String> copy(Map<String, String> map) {
    return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
