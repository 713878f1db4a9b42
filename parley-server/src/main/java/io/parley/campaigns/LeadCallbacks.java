package io.parley.campaigns;

import io.parley.compliance.ComplianceGate;
import io.parley.conversation.CallbackBooking;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.NotFoundException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scheduled callbacks: booked by the callee through the agent's {@code schedule_callback} tool
 * (this class is the conversation engine's {@link CallbackBooking}) or by an operator through the
 * API, cancelled by an operator, dropped when the campaign is cancelled. The time asked for is read
 * in the lead's zone and kept as asked; when it is outside the calling window or the campaign's
 * hours the callback is due at the next time they allow (the compliance gate checks it again at
 * dial time, with the do-not-call lists and the per-number cap). The dispatcher claims a due
 * callback like a due retry ({@link LeadClaims}).
 */
@Service
class LeadCallbacks implements CallbackBooking {

  /** How far ahead a callback may be booked. */
  static final Duration MAX_AHEAD = Duration.ofDays(30);

  static final int MAX_SUMMARY = 2000;
  private static final int MAX_AT_LENGTH = 40;

  private final JdbcClient jdbc;
  private final CampaignRepository campaigns;
  private final LeadRepository leads;
  private final ComplianceGate gate;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transaction;
  private final Clock clock;

  LeadCallbacks(
      JdbcClient jdbc,
      CampaignRepository campaigns,
      LeadRepository leads,
      ComplianceGate gate,
      ApplicationEventPublisher events,
      PlatformTransactionManager transactions,
      ObjectProvider<Clock> clock) {
    this.jdbc = jdbc;
    this.campaigns = campaigns;
    this.leads = leads;
    this.gate = gate;
    this.events = events;
    this.transaction = new TransactionTemplate(transactions);
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  /** The lead's row as a booking needs it, locked until the transaction ends. */
  private record Row(
      UUID id,
      UUID campaignId,
      LeadStatus status,
      UUID currentCallId,
      LeadCallback.State callbackState,
      String phoneNumber,
      String timeZone,
      String zones) {

    /** The zone the time asked for is read in: the file's, else the number's first. */
    Optional<ZoneId> zone() {
      if (timeZone != null && !timeZone.isBlank()) {
        return Optional.of(ZoneId.of(timeZone));
      }
      if (zones != null && !zones.isBlank()) {
        return Optional.of(ZoneId.of(zones.split(",")[0]));
      }
      return Optional.empty();
    }
  }

  /** A time asked for, read and placed. */
  record Booking(
      Instant requestedAt, String requestedFor, Instant dueAt, String dueLocal, ZoneId zone) {}

  // ---- the API ----------------------------------------------------------------------------------

  /**
   * Books (or re-books) a lead's callback for a user.
   *
   * @throws NotFoundException when the campaign or the lead (of this campaign) does not exist
   * @throws ConflictException when the campaign has ended, the lead is on a do-not-call list or
   *     held, or its callback is being dialled this moment
   * @throws InvalidInputException naming {@code at} or {@code summary}
   */
  @Transactional
  Lead book(
      UUID organisationId, UUID campaignId, UUID leadId, String at, String summary, Actor actor) {
    Campaign campaign = campaigns.lockExisting(organisationId, campaignId);
    if (!campaign.status().isActive()) {
      throw new ConflictException(
          "The campaign is " + campaign.status().wire() + "; its leads are no longer called");
    }
    Row row =
        lock(campaignId, leadId).orElseThrow(() -> new NotFoundException("No lead " + leadId));
    if (row.status() == LeadStatus.DNC || row.status() == LeadStatus.HELD) {
      throw new ConflictException(
          "The lead is "
              + row.status().wire()
              + (row.status() == LeadStatus.DNC
                  ? ": its number is on a do-not-call list"
                  : ": it cannot be dialled until it is fixed")
              + "; no callback can be booked");
    }
    if (row.status() == LeadStatus.DIALING && row.currentCallId() == null) {
      throw new ConflictException(
          "The lead is being dialled this moment; book its callback once the call has started");
    }
    ZoneId zone =
        row.zone()
            .orElseThrow(
                () -> new ConflictException("The lead has no time zone to read a time in"));
    Map<String, String> errors = new LinkedHashMap<>();
    String text = summary == null || summary.isBlank() ? null : summary.strip();
    if (text != null && text.length() > MAX_SUMMARY) {
      errors.put("summary", "must be at most " + MAX_SUMMARY + " characters");
    }
    Booking booking = null;
    try {
      booking = plan(row, zone, at, campaign.settings());
    } catch (IllegalArgumentException e) {
      errors.put("at", e.getMessage());
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    write(row, booking, text, LeadCallback.Source.USER, actor.email(), null);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("campaignId", campaignId.toString());
    details.put("leadId", leadId.toString());
    details.put("requestedFor", booking.requestedFor());
    details.put("timeZone", booking.zone().getId());
    details.put("dueAt", booking.dueAt().toString());
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "campaign.callback_booked",
            "campaign",
            campaignId.toString(),
            details));
    return leads.find(campaignId, leadId).orElseThrow();
  }

  /**
   * Cancels a lead's callback: a lead waiting for it returns to where it was (or would have gone)
   * when it was booked; a lead in a call keeps its call and is settled as usual when it ends.
   *
   * @throws NotFoundException when the campaign or the lead (of this campaign) does not exist
   * @throws ConflictException when no callback is waiting, or it is being dialled this moment
   */
  @Transactional
  Lead cancel(UUID organisationId, UUID campaignId, UUID leadId, Actor actor) {
    campaigns.lockExisting(organisationId, campaignId);
    Row row =
        lock(campaignId, leadId).orElseThrow(() -> new NotFoundException("No lead " + leadId));
    if (row.callbackState() == LeadCallback.State.DIALING) {
      throw new ConflictException("The lead's callback is being dialled this moment");
    }
    if (row.callbackState() != LeadCallback.State.SCHEDULED) {
      throw new ConflictException("The lead has no callback waiting");
    }
    drop(row.id(), "cancelled by " + actor.email(), now());
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "campaign.callback_cancelled",
            "campaign",
            campaignId.toString(),
            Map.of("campaignId", campaignId.toString(), "leadId", leadId.toString())));
    return leads.find(campaignId, leadId).orElseThrow();
  }

  /**
   * Drops every callback of a campaign that is being cancelled (in its transaction): leads waiting
   * for one return to where they were; one booked during a call in progress, or claimed for its
   * dial, is marked cancelled, so neither is dialled.
   */
  void dropAll(UUID campaignId, Instant now) {
    String note = "the campaign was cancelled";
    jdbc.sql(
            "UPDATE campaign_lead SET "
                + RESTORE
                + " WHERE campaign_id = :campaign AND status = 'callback'")
        .param("note", note)
        .param("restoredReason", "callback " + note)
        .param("now", Timestamp.from(now))
        .param("campaign", campaignId)
        .update();
    jdbc.sql(
            "UPDATE campaign_lead SET callback_state = 'cancelled', callback_note = :note,"
                + " updated_at = :now WHERE campaign_id = :campaign AND status = 'dialing'"
                + " AND callback_state IN ('scheduled', 'dialing')")
        .param("note", note)
        .param("now", Timestamp.from(now))
        .param("campaign", campaignId)
        .update();
  }

  // A lead waiting for its callback back where it was when the callback was booked. status comes
  // first: MariaDB evaluates the assignments left to right, with the values already assigned.
  private static final String RESTORE =
      "status = COALESCE(callback_prior_status, CASE WHEN attempts = 0 THEN 'pending' ELSE"
          + " 'retry_at' END), next_attempt_at = COALESCE(callback_prior_next_at, :now),"
          + " status_reason = :restoredReason, callback_state = 'cancelled',"
          + " callback_note = :note, updated_at = :now";

  private void drop(UUID leadId, String note, Instant now) {
    int restored =
        jdbc.sql("UPDATE campaign_lead SET " + RESTORE + " WHERE id = :id AND status = 'callback'")
            .param("note", note)
            .param("restoredReason", "callback " + note)
            .param("now", Timestamp.from(now))
            .param("id", leadId)
            .update();
    if (restored == 0) {
      // Booked during the call in progress: the call's settlement goes ahead without it.
      jdbc.sql(
              "UPDATE campaign_lead SET callback_state = 'cancelled', callback_note = :note,"
                  + " updated_at = :now WHERE id = :id AND callback_state = 'scheduled'")
          .param("note", note)
          .param("now", Timestamp.from(now))
          .param("id", leadId)
          .update();
    }
  }

  // ---- the tool ---------------------------------------------------------------------------------

  @Override
  public Outcome book(UUID organisationId, UUID callId, String at, String summary) {
    return transaction.execute(status -> bookForCall(organisationId, callId, at, summary));
  }

  private Outcome bookForCall(UUID organisationId, UUID callId, String at, String summary) {
    Optional<UUID> leadId =
        jdbc.sql(
                "SELECT lead_id FROM call_record WHERE id = :call AND organisation_id = :org"
                    + " AND lead_id IS NOT NULL")
            .param("call", callId)
            .param("org", organisationId)
            .query((rs, n) -> UUID.fromString(rs.getString(1)))
            .optional();
    if (leadId.isEmpty()) {
      return new Outcome.Refused(
          "This is not a campaign call: a callback can only be booked for a campaign's lead.");
    }
    Optional<Row> locked = lock(null, leadId.get());
    if (locked.isEmpty()
        || locked.get().status() != LeadStatus.DIALING
        || !callId.equals(locked.get().currentCallId())) {
      return new Outcome.Refused("This call's lead is no longer waiting on this call.");
    }
    Row row = locked.get();
    Optional<Campaign> campaign = campaigns.find(organisationId, row.campaignId());
    if (campaign.isEmpty() || !campaign.get().status().isActive()) {
      return new Outcome.Refused("The campaign has ended; no callback can be booked.");
    }
    if (summary == null || summary.isBlank()) {
      return new Outcome.Refused(
          "summary is required: what was discussed and what to follow up on the callback.");
    }
    if (summary.strip().length() > MAX_SUMMARY) {
      return new Outcome.Refused("summary must be at most " + MAX_SUMMARY + " characters.");
    }
    Optional<ZoneId> zone = row.zone();
    if (zone.isEmpty()) {
      return new Outcome.Refused("The callee's time zone is unknown.");
    }
    Booking booking;
    try {
      booking = plan(row, zone.get(), at, campaign.get().settings());
    } catch (IllegalArgumentException e) {
      return new Outcome.Refused("at " + e.getMessage() + ".");
    }
    write(row, booking, summary.strip(), LeadCallback.Source.TOOL, null, callId);
    return new Outcome.Booked(booking.requestedFor(), booking.dueLocal(), booking.zone().getId());
  }

  // ---- shared -----------------------------------------------------------------------------------

  /**
   * Reads the time asked for and places it: in the lead's zone unless it carries an offset, not
   * before the last minute, at most {@link #MAX_AHEAD} ahead, moved to the next time the calling
   * window and the campaign's hours allow.
   *
   * @throws IllegalArgumentException with what is wrong, to follow the field's name
   */
  private Booking plan(Row row, ZoneId zone, String at, CampaignSettings settings) {
    Instant now = now();
    Instant requested = read(at, zone).truncatedTo(ChronoUnit.MINUTES);
    String nowLocal = LeadCallback.local(now, zone.getId());
    // The minute just gone still counts as now: "call me back now" said at 10:59:59 arrives later.
    if (requested.isBefore(now.minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MINUTES))) {
      throw new IllegalArgumentException(
          "is in the past: it is now " + nowLocal + " in " + zone.getId());
    }
    if (requested.isAfter(now.plus(MAX_AHEAD))) {
      throw new IllegalArgumentException(
          "is more than 30 days ahead (it is now " + nowLocal + " in " + zone.getId() + ")");
    }
    Instant due =
        gate.firstAllowedAt(row.phoneNumber(), row.timeZone(), settings.hours(), requested)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "has no time the calling hours allow for this number within 14 days"
                            + " after it"));
    return new Booking(
        requested,
        LeadCallback.local(requested, zone.getId()),
        due,
        LeadCallback.local(due, zone.getId()),
        zone);
  }

  /**
   * {@code 2026-12-08T15:00} (also with seconds, or a space for the T) in the zone, or with an
   * offset.
   */
  static Instant read(String at, ZoneId zone) {
    if (at == null || at.isBlank()) {
      throw new IllegalArgumentException(
          "is required: the local date and time, such as 2026-12-08T15:00");
    }
    String text = at.strip();
    if (text.length() > MAX_AT_LENGTH) {
      throw new IllegalArgumentException("is too long for a date and time");
    }
    if (text.length() > 10 && text.charAt(10) == ' ') {
      text = text.substring(0, 10) + 'T' + text.substring(11);
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        // A local time the clocks skip (daylight saving begins) moves forward by the gap; one
        // they repeat takes the earlier instant.
        return ZonedDateTime.ofLocal(LocalDateTime.parse(text), zone, null).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "must be a local date and time such as 2026-12-08T15:00 (or with an offset, such as"
                + " 2026-12-08T15:00-05:00); was "
                + text);
      }
    }
  }

  private void write(
      Row row,
      Booking booking,
      String summary,
      LeadCallback.Source source,
      String bookedBy,
      UUID duringCall) {
    Instant now = now();
    String callbackColumns =
        "callback_state = 'scheduled', callback_at = :at, callback_local = :local,"
            + " callback_zone = :zone, callback_due_at = :due, callback_summary = :summary,"
            + " callback_source = :source, callback_requested_by = :by,"
            + " callback_requested_call_id = :during, callback_requested_at = :now,"
            + " callback_call_id = NULL, callback_note = :note, updated_at = :now";
    String sql =
        row.status() == LeadStatus.DIALING
            // In a call: the settlement applies it when the call ends.
            ? "UPDATE campaign_lead SET " + callbackColumns + " WHERE id = :id"
            // The prior status and time come first, read before status changes (MariaDB assigns
            // left to right); a re-booked callback keeps the first one's.
            : "UPDATE campaign_lead SET callback_prior_status = CASE WHEN status = 'callback' THEN"
                + " callback_prior_status ELSE status END, callback_prior_next_at = CASE WHEN"
                + " status = 'callback' THEN callback_prior_next_at ELSE next_attempt_at END,"
                + " status = 'callback', next_attempt_at = :due, status_reason = :reason, "
                + callbackColumns
                + " WHERE id = :id";
    jdbc.sql(sql)
        .param("at", Timestamp.from(booking.requestedAt()))
        .param("local", booking.requestedFor())
        .param("zone", booking.zone().getId())
        .param("due", Timestamp.from(booking.dueAt()))
        .param("summary", summary, Types.VARCHAR)
        .param("source", source.wire())
        .param("by", bookedBy, Types.VARCHAR)
        .param("during", duringCall == null ? null : duringCall.toString(), Types.VARCHAR)
        .param("now", Timestamp.from(now))
        .param(
            "note",
            booking.dueAt().equals(booking.requestedAt())
                ? null
                : "moved to "
                    + booking.dueLocal()
                    + ": the time asked for is outside the calling"
                    + " hours",
            Types.VARCHAR)
        .param("reason", reason(booking), Types.VARCHAR)
        .param("id", row.id())
        .update();
  }

  /** The lead's status reason while it waits for its callback. */
  static String reason(Booking booking) {
    return "callback booked for "
        + booking.dueLocal()
        + " "
        + booking.zone().getId()
        + (booking.dueAt().equals(booking.requestedAt())
            ? ""
            : " (asked for " + booking.requestedFor() + ", outside the calling hours)");
  }

  private Optional<Row> lock(UUID campaignId, UUID leadId) {
    return jdbc.sql(
            "SELECT id, campaign_id, status, current_call_id, callback_state, phone_number,"
                + " time_zone, zones FROM campaign_lead WHERE id = :id"
                + (campaignId == null ? "" : " AND campaign_id = :campaign")
                + " FOR UPDATE")
        .param("id", leadId)
        .param("campaign", campaignId, Types.VARCHAR)
        .query(
            (rs, n) -> {
              String call = rs.getString("current_call_id");
              String state = rs.getString("callback_state");
              return new Row(
                  UUID.fromString(rs.getString("id")),
                  UUID.fromString(rs.getString("campaign_id")),
                  LeadStatus.fromWire(rs.getString("status")),
                  call == null ? null : UUID.fromString(call),
                  state == null ? null : LeadCallback.State.fromWire(state),
                  rs.getString("phone_number"),
                  rs.getString("time_zone"),
                  rs.getString("zones"));
            })
        .optional();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
