package io.parley.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/**
 * The callback booked for a lead, as its record shows it: the time asked for (as the callee or
 * operator said it, in the lead's zone), when it is to be dialled (the same, or moved to the next
 * time the calling rules allow), what to follow up, who asked, and what became of it.
 *
 * @param state where the callback is
 * @param requestedFor the local date-time asked for ({@code 2026-12-08T15:00})
 * @param timeZone the IANA zone {@code requestedFor} is read in: the lead's {@code time_zone}, else
 *     its number's first zone
 * @param requestedAt the instant asked for
 * @param dueAt when it is to be dialled: {@code requestedAt}, or the next instant the calling rules
 *     allow after it
 * @param dueLocal {@code dueAt} in {@code timeZone}
 * @param moved whether {@code dueAt} differs from the time asked for
 * @param summary what was discussed and what to follow up; the callback call's prompt gets it as
 *     {@code previous_call_summary}
 * @param source who booked it: the callee through the agent's tool, or a user through the API
 * @param bookedBy the user's e-mail ({@code user}), else null
 * @param bookedDuringCallId the call in which the callee asked ({@code tool}), else null
 * @param bookedAt when it was booked
 * @param callId the call placed for it ({@code placed}), else null
 * @param note why it was moved or cancelled, or null
 */
public record LeadCallback(
    State state,
    String requestedFor,
    String timeZone,
    Instant requestedAt,
    Instant dueAt,
    String dueLocal,
    boolean moved,
    String summary,
    Source source,
    String bookedBy,
    UUID bookedDuringCallId,
    Instant bookedAt,
    UUID callId,
    String note) {

  /** Local date-times are stored and shown to the minute, as people say them. */
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm");

  static String local(Instant instant, String zone) {
    return instant == null || zone == null
        ? null
        : LOCAL.format(LocalDateTime.ofInstant(instant, ZoneId.of(zone)));
  }

  /** Where a callback is. */
  public enum State {
    /** Waiting for its time (or booked during the call in progress, applied when it ends). */
    SCHEDULED,
    /** Claimed by a dispatcher for its dial. */
    DIALING,
    /** Dialled, once: {@code callId} is the call, whatever its outcome. */
    PLACED,
    /**
     * Dropped: cancelled by a user, the campaign cancelled, or the lead can no longer be called.
     */
    CANCELLED;

    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State fromWire(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  /** Who booked a callback. */
  public enum Source {
    /** The callee, through the agent's {@code schedule_callback} tool. */
    TOOL,
    /** A user, through {@code POST /api/campaigns/{id}/leads/{leadId}/callback}. */
    USER;

    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Source fromWire(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }
}
