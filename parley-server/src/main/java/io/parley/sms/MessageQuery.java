package io.parley.sms;

import io.parley.shared.InvalidInputException;
import io.parley.shared.PageRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The query of {@code GET /api/messages}, parsed from text so every bad parameter is named in one
 * 422. Blank values count as absent.
 */
record MessageQuery(MessageFilter filter, PageRequest page) {

  /** E.164, a short code, an alphanumeric sender: whatever Twilio names a party, no controls. */
  static final Pattern NUMBER = Pattern.compile("[^\\p{Cntrl}]{1,64}");

  static MessageQuery parse(
      String number,
      String direction,
      String status,
      String agentId,
      String from,
      String to,
      String page,
      String size) {
    Map<String, String> errors = new LinkedHashMap<>();
    String party =
        parsed(
            "number",
            number,
            n -> NUMBER.matcher(n).matches() ? n : null,
            "must be a number as Twilio names it (E.164 such as +14155550100), up to 64 characters;"
                + " write + as %2B in a URL",
            errors);
    MessageDirection dir =
        parsed(
            "direction",
            direction,
            t -> MessageDirection.parse(t).orElse(null),
            "must be inbound or outbound",
            errors);
    MessageStatus st =
        parsed(
            "status",
            status,
            t -> MessageStatus.parse(t).orElse(null),
            "must be one of pending, accepted, scheduled, queued, sending, sent, delivered,"
                + " undelivered, failed, canceled, partially_delivered, receiving, received, read",
            errors);
    UUID agent =
        parsed(
            "agentId",
            agentId,
            t -> {
              try {
                return UUID.fromString(t);
              } catch (IllegalArgumentException e) {
                return null;
              }
            },
            "must be an agent id (UUID)",
            errors);
    Instant since = instant("from", from, errors);
    Instant until = instant("to", to, errors);
    if (since != null && until != null && !until.isAfter(since)) {
      errors.put("to", "must be after from");
    }
    Integer p = integer("page", page, errors);
    Integer s = integer("size", size, errors);
    if (p != null && p < 0) {
      errors.put("page", "must be 0 or more");
    }
    if (s != null && (s < 1 || s > PageRequest.MAX_SIZE)) {
      errors.put("size", "must be between 1 and " + PageRequest.MAX_SIZE);
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new MessageQuery(
        new MessageFilter(party, dir, st, agent, since, until), PageRequest.of(p, s));
  }

  static <T> T parsed(
      String field,
      String text,
      Function<String, T> parser,
      String message,
      Map<String, String> errors) {
    if (text == null || text.isBlank()) {
      return null;
    }
    T value = parser.apply(text.strip());
    if (value == null) {
      errors.put(field, message);
    }
    return value;
  }

  static Integer integer(String field, String text, Map<String, String> errors) {
    return parsed(
        field,
        text,
        t -> {
          try {
            return Integer.valueOf(t);
          } catch (NumberFormatException e) {
            return null;
          }
        },
        "must be a whole number",
        errors);
  }

  private static Instant instant(String field, String text, Map<String, String> errors) {
    return parsed(
        field,
        text,
        t -> {
          try {
            return Instant.parse(t);
          } catch (DateTimeParseException e) {
            return null;
          }
        },
        "must be an ISO-8601 instant such as 2026-11-25T09:00:00Z",
        errors);
  }
}
