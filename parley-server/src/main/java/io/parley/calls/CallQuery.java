package io.parley.calls;

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
 * A validated history query: filters, order and page.
 *
 * @param filter which calls
 * @param sort their order
 * @param page which slice (ignored by the CSV export, which writes every row)
 */
record CallQuery(CallFilter filter, CallSort sort, PageRequest page) {

  /** Shortest transcript search: two characters would match most calls and scan every segment. */
  static final int MIN_SEARCH = 3;

  static final int MAX_SEARCH = 200;

  /** Parley stores Twilio's AnsweredBy values in this shape ({@code human}, {@code fax}, …). */
  private static final Pattern ANSWERED_BY = Pattern.compile("[a-z_]{1,32}");

  /** E.164, {@code client:…}, {@code anonymous}: whatever Twilio names a party, no controls. */
  private static final Pattern NUMBER = Pattern.compile("[^\\p{Cntrl}]{1,64}");

  /** Reads the query parameters; every bad one is reported by name in one 422. */
  static CallQuery parse(CallListParams p) {
    Map<String, String> errors = new LinkedHashMap<>();
    UUID agent = uuid("agentId", p.agentId(), "an agent id", errors);
    CallDirection direction =
        parsed(
            "direction",
            p.direction(),
            text -> CallDirection.parse(text).orElse(null),
            "must be inbound or outbound",
            errors);
    CallStatus status =
        parsed(
            "status",
            p.status(),
            text -> CallStatus.parse(text).orElse(null),
            "must be one of queued, initiated, ringing, in_progress, completed, busy,"
                + " no_answer, failed, canceled",
            errors);
    CallOutcome outcome =
        parsed(
            "outcome",
            p.outcome(),
            text -> CallOutcome.parse(text).orElse(null),
            "must be an outcome such as completed, no_answer, busy, failed, canceled, machine,"
                + " fax, opted_out, transferred, rejected, max_duration, system_error",
            errors);
    String answeredBy =
        parsed(
            "answeredBy",
            p.answeredBy(),
            text -> ANSWERED_BY.matcher(text).matches() ? text : null,
            "must be an answering-machine verdict such as human, machine_start or fax",
            errors);
    UUID campaign = uuid("campaignId", p.campaignId(), "a campaign id", errors);
    String fromNumber = number("fromNumber", p.fromNumber(), errors);
    String toNumber = number("toNumber", p.toNumber(), errors);
    Instant start = instant("from", p.from(), errors);
    Instant end = instant("to", p.to(), errors);
    if (start != null && end != null && !end.isAfter(start)) {
      errors.put("to", "must be after from");
    }
    Boolean hasRecording =
        parsed(
            "hasRecording",
            p.hasRecording(),
            text ->
                text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null,
            "must be true or false",
            errors);
    String text = search(p.q(), errors);
    CallSort sort = CallSort.NEWEST_FIRST;
    if (present(p.sort())) {
      sort = CallSort.parse(p.sort().strip());
      if (sort == null) {
        errors.put(
            "sort",
            "must be one of "
                + String.join(", ", CallSort.COLUMNS.keySet())
                + ", with - before it for descending order");
      }
    }
    Integer page = integer("page", p.page(), errors);
    Integer size = integer("size", p.size(), errors);
    if (page != null && page < 0) {
      errors.put("page", "must be 0 or more");
    }
    if (size != null && (size < 1 || size > PageRequest.MAX_SIZE)) {
      errors.put("size", "must be between 1 and " + PageRequest.MAX_SIZE);
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    CallFilter filter =
        new CallFilter(
            agent,
            direction,
            status,
            outcome,
            answeredBy,
            campaign,
            fromNumber,
            toNumber,
            start,
            end,
            hasRecording,
            text);
    return new CallQuery(filter, sort, PageRequest.of(page, size));
  }

  private static boolean present(String text) {
    return text != null && !text.isBlank();
  }

  private static <T> T parsed(
      String field,
      String text,
      Function<String, T> parser,
      String message,
      Map<String, String> errors) {
    if (!present(text)) {
      return null;
    }
    T value = parser.apply(text.strip());
    if (value == null) {
      errors.put(field, message);
    }
    return value;
  }

  private static UUID uuid(String field, String text, String what, Map<String, String> errors) {
    return parsed(
        field,
        text,
        value -> {
          try {
            return UUID.fromString(value);
          } catch (IllegalArgumentException e) {
            return null;
          }
        },
        "must be " + what + " (UUID)",
        errors);
  }

  private static String number(String field, String text, Map<String, String> errors) {
    return parsed(
        field,
        text,
        value -> NUMBER.matcher(value).matches() ? value : null,
        "must be a number as Twilio names it (E.164 such as +14155550100, client:name,"
            + " anonymous), up to 64 characters; write + as %2B in a URL",
        errors);
  }

  private static Instant instant(String field, String text, Map<String, String> errors) {
    return parsed(
        field,
        text,
        value -> {
          try {
            return Instant.parse(value);
          } catch (DateTimeParseException e) {
            return null;
          }
        },
        "must be an ISO-8601 instant such as 2026-11-25T09:00:00Z",
        errors);
  }

  private static Integer integer(String field, String text, Map<String, String> errors) {
    return parsed(
        field,
        text,
        value -> {
          try {
            return Integer.valueOf(value);
          } catch (NumberFormatException e) {
            return null;
          }
        },
        "must be a whole number",
        errors);
  }

  private static String search(String text, Map<String, String> errors) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    // Counted in code points, so three Devanagari letters are a valid search like three Latin ones.
    String stripped = text.strip();
    int length = stripped.codePointCount(0, stripped.length());
    if (length < MIN_SEARCH) {
      errors.put("q", "must be at least " + MIN_SEARCH + " characters");
      return null;
    }
    if (length > MAX_SEARCH) {
      errors.put("q", "must be at most " + MAX_SEARCH + " characters");
      return null;
    }
    if (stripped.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      errors.put("q", "must not contain control characters");
      return null;
    }
    return stripped;
  }
}
