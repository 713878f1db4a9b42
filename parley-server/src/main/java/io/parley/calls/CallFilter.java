package io.parley.calls;

import io.parley.shared.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The history list's filters, all optional: {@code from} is inclusive and {@code to} exclusive,
 * both on the creation time.
 */
record CallFilter(
    UUID agentId, CallStatus status, CallDirection direction, Instant from, Instant to) {

  /** Reads the query parameters; every bad one is reported by name in one 422. */
  static CallFilter parse(String agentId, String status, String direction, String from, String to) {
    Map<String, String> errors = new LinkedHashMap<>();
    UUID agent = null;
    if (agentId != null) {
      try {
        agent = UUID.fromString(agentId);
      } catch (IllegalArgumentException e) {
        errors.put("agentId", "must be an agent id (UUID)");
      }
    }
    CallStatus parsedStatus = null;
    if (status != null) {
      parsedStatus = CallStatus.parse(status).orElse(null);
      if (parsedStatus == null) {
        errors.put(
            "status",
            "must be one of queued, initiated, ringing, in_progress, completed, busy,"
                + " no_answer, failed, canceled");
      }
    }
    CallDirection parsedDirection = null;
    if (direction != null) {
      parsedDirection = CallDirection.parse(direction).orElse(null);
      if (parsedDirection == null) {
        errors.put("direction", "must be inbound or outbound");
      }
    }
    Instant start = instant("from", from, errors);
    Instant end = instant("to", to, errors);
    if (start != null && end != null && !end.isAfter(start)) {
      errors.put("to", "must be after from");
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new CallFilter(agent, parsedStatus, parsedDirection, start, end);
  }

  private static Instant instant(String field, String text, Map<String, String> errors) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      errors.put(field, "must be an ISO-8601 instant such as 2026-11-25T09:00:00Z");
      return null;
    }
  }
}
