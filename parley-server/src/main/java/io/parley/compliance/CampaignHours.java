package io.parley.compliance;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A campaign's own calling hours, which can only narrow {@code PARLEY_CALLING_WINDOW}: hours per
 * weekday (a day not named keeps the global window; a closed day has none), hours per US state (for
 * numbers whose area code is in that state, e.g. Florida 08:00 to 20:00), and holidays (no calls
 * all day). Every rule is read in the callee's local time, in each of its zones.
 *
 * @param weekdays the hours of the days that have their own
 * @param closed the days with no calls
 * @param states hours by two-letter state code
 * @param holidays dates with no calls
 */
public record CampaignHours(
    Map<DayOfWeek, WindowHours> weekdays,
    Set<DayOfWeek> closed,
    Map<String, WindowHours> states,
    Set<LocalDate> holidays) {

  public CampaignHours {
    weekdays = Map.copyOf(weekdays);
    closed = Set.copyOf(closed);
    states = Map.copyOf(states);
    holidays = Set.copyOf(holidays);
  }

  /** Whether a local date and time is inside the campaign's hours for a number in {@code state}. */
  boolean allows(String state, LocalDate date, LocalTime time) {
    if (holidays.contains(date) || closed.contains(date.getDayOfWeek())) {
      return false;
    }
    WindowHours day = weekdays.get(date.getDayOfWeek());
    if (day != null && !day.contains(time)) {
      return false;
    }
    WindowHours stateHours = state == null ? null : states.get(state);
    return stateHours == null || stateHours.contains(time);
  }

  /** The local times on {@code date} at which one of the campaign's windows opens. */
  List<LocalTime> openings(String state, LocalDate date) {
    List<LocalTime> openings = new ArrayList<>();
    WindowHours day = weekdays.get(date.getDayOfWeek());
    if (day != null) {
      openings.add(day.start());
    }
    WindowHours stateHours = state == null ? null : states.get(state);
    if (stateHours != null) {
      openings.add(stateHours.start());
    }
    return openings;
  }
}
