package io.parley.calls;

import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deletes a call's recording everywhere it is kept: Twilio's copy first (if Twilio cannot say it is
 * gone, nothing changes and the deletion can be asked again), then Parley's local copy, then the
 * recording columns, with an audit entry. Used by {@code DELETE /api/calls/{id}/recording} and by
 * retention.
 */
@Service
class RecordingRemoval {

  private final CallRepository calls;
  private final RecordingAudio twilio;
  private final LocalRecordingStore store;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  RecordingRemoval(
      CallRepository calls,
      RecordingAudio twilio,
      LocalRecordingStore store,
      ApplicationEventPublisher events,
      Clock clock) {
    this.calls = calls;
    this.twilio = twilio;
    this.store = store;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Deletes the recording of a call of the organisation; 404 when there is no such call or it has
   * no recording. {@code why} ({@code admin} or {@code retention}) goes into the audit entry.
   */
  @Transactional
  void delete(UUID organisationId, UUID callId, Actor actor, String why) {
    CallRecord call =
        calls
            .lock(callId)
            .filter(found -> found.organisationId().equals(organisationId))
            .orElseThrow(() -> new NotFoundException("No call " + callId));
    if (call.retention().legalHold()) {
      throw new ConflictException(
          "Call " + callId + " is on legal hold: its recording is kept until the hold is released");
    }
    boolean local = store.has(callId);
    if (call.recording() == null && !local) {
      throw new NotFoundException("Call " + callId + " has no recording");
    }
    if (call.recording() != null) {
      twilio.delete(call.recording().sid());
    }
    try {
      store.delete(callId);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete the local copy of the recording", e);
    }
    calls.setRecordingDeleted(callId, clock.instant());
    Map<String, Object> details = new LinkedHashMap<>();
    if (call.recording() != null) {
      details.put("recordingSid", call.recording().sid());
    }
    details.put("localCopy", local);
    details.put("by", why);
    events.publishEvent(
        new AuditEvent(
            actor == null ? null : actor.userId(),
            actor == null ? null : actor.email(),
            "recording.deleted",
            "call",
            callId.toString(),
            details));
  }
}
