package io.parley.calls;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The order of the history list: one of the row's columns, ascending or descending ({@code -} in
 * front), always followed by the call id in the same direction so that equal values (two calls in
 * one microsecond, a hundred {@code completed} calls) never make pages overlap or skip a row.
 *
 * @param column the SQL expression, from a fixed list (never text from the request)
 * @param descending the direction
 */
record CallSort(String column, boolean descending) {

  /** API name → SQL. Text columns sort by the database's collation. */
  static final Map<String, String> COLUMNS =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry("createdAt", "c.created_at"),
              Map.entry("startedAt", "c.started_at"),
              Map.entry("answeredAt", "c.answered_at"),
              Map.entry("endedAt", "c.ended_at"),
              Map.entry("durationSeconds", "c.duration_seconds"),
              Map.entry("direction", "c.direction"),
              Map.entry("from", "c.from_number"),
              Map.entry("to", "c.to_number"),
              Map.entry("status", "c.status"),
              Map.entry("answeredBy", "c.answered_by"),
              Map.entry("outcome", "c.outcome"),
              Map.entry("agentName", "c.agent_name"),
              Map.entry("promptName", "p.name"),
              Map.entry("promptVersion", "c.prompt_version"),
              Map.entry("hasRecording", "CASE WHEN c.recording_sid IS NULL THEN 0 ELSE 1 END")));

  private static final Set<String> NOT_NULL =
      Set.of("c.created_at", "c.direction", "c.from_number", "c.to_number", "c.status");

  static final CallSort NEWEST_FIRST = new CallSort("c.created_at", true);

  /** {@code createdAt}, {@code -durationSeconds}, …; null for a name not in the list. */
  static CallSort parse(String text) {
    boolean descending = text.startsWith("-");
    String column = COLUMNS.get(descending ? text.substring(1) : text);
    return column == null ? null : new CallSort(column, descending);
  }

  /**
   * The ORDER BY clause. Empty values come last in both directions and on both databases
   * (PostgreSQL and MariaDB disagree on where NULLs sort).
   */
  String orderBy() {
    String direction = descending ? " DESC" : " ASC";
    String nullsLast =
        NOT_NULL.contains(column) || column.startsWith("CASE")
            ? ""
            : "CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END, ";
    return " ORDER BY " + nullsLast + column + direction + ", c.id" + direction;
  }
}
