package io.parley.campaigns;

import io.parley.shared.InvalidInputException;
import io.parley.shared.PageRequest;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Filters, order and page of {@code GET /api/campaigns/{id}/leads}.
 *
 * @param status only leads in this status, or null
 * @param phonePrefix only numbers starting with this ({@code +1415}), or null
 * @param importId only leads from this upload, or null
 * @param sort a column: {@code created_at} (default), {@code phone_number}, {@code status}, {@code
 *     attempts}, {@code next_attempt_at}, {@code last_name}
 * @param descending the direction
 */
record LeadQuery(
    LeadStatus status,
    String phonePrefix,
    UUID importId,
    String sort,
    boolean descending,
    PageRequest page) {

  private static final Map<String, String> SORTS =
      Map.of(
          "createdAt", "created_at",
          "phoneNumber", "phone_number",
          "status", "status",
          "attempts", "attempts",
          "nextAttemptAt", "next_attempt_at",
          "lastName", "last_name");
  private static final Set<String> NULLABLE = Set.of("next_attempt_at", "last_name");
  private static final Pattern PREFIX = Pattern.compile("\\+?[0-9]{1,15}");

  /** Reads the query parameters, naming each bad one. */
  static LeadQuery of(
      String status, String phonePrefix, String importId, String sort, Integer page, Integer size) {
    LeadStatus wanted = null;
    if (status != null && !status.isBlank()) {
      wanted =
          LeadStatus.parse(status.strip())
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "status",
                          "must be one of pending, dialing, retry_at, callback, done, held,"
                              + " dnc, exhausted"));
    }
    String prefix = null;
    if (phonePrefix != null && !phonePrefix.isBlank()) {
      if (!PREFIX.matcher(phonePrefix.strip()).matches()) {
        throw new InvalidInputException("phone", "must be the start of a number, e.g. +1415");
      }
      prefix = phonePrefix.strip();
    }
    UUID upload = null;
    if (importId != null && !importId.isBlank()) {
      try {
        upload = UUID.fromString(importId.strip());
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("importId", "must be an import id (UUID)");
      }
    }
    String column = "created_at";
    boolean descending = false;
    if (sort != null && !sort.isBlank()) {
      String text = sort.strip();
      descending = text.startsWith("-");
      String name = descending ? text.substring(1) : text;
      column = SORTS.get(name);
      if (column == null) {
        throw new InvalidInputException(
            "sort",
            "must be one of "
                + String.join(", ", SORTS.keySet().stream().sorted().toList())
                + ", with - before it for descending order");
      }
    }
    return new LeadQuery(wanted, prefix, upload, column, descending, PageRequest.of(page, size));
  }

  /**
   * The ORDER BY clause. Empty values come last in both directions and on both databases
   * (PostgreSQL and MariaDB disagree on where NULLs sort); the id breaks ties so pages are stable.
   */
  String orderBy() {
    String direction = descending ? " DESC" : " ASC";
    String nullsLast =
        NULLABLE.contains(sort) ? "CASE WHEN " + sort + " IS NULL THEN 1 ELSE 0 END, " : "";
    return " ORDER BY " + nullsLast + sort + direction + ", id" + direction;
  }
}
