package io.parley.dialing;

import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.NotFoundException;
import io.parley.telephony.CallControl;
import io.parley.telephony.CallControlException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Ends a call for an operator. The disposition is recorded first, so it names the person even when
 * Twilio's final callback arrives before this request returns; the carrier status then follows from
 * that callback.
 */
@Service
class CallHangUp {

  private static final Logger log = LoggerFactory.getLogger(CallHangUp.class);

  private final CallRecords records;
  private final CallControl control;
  private final ApplicationEventPublisher events;

  CallHangUp(CallRecords records, CallControl control, ApplicationEventPublisher events) {
    this.records = records;
    this.control = control;
    this.events = events;
  }

  CallRecord hangUp(UUID organisationId, UUID callId, Actor actor) {
    CallRecord call =
        records
            .find(callId)
            .filter(found -> found.organisationId().equals(organisationId))
            .orElseThrow(() -> new NotFoundException("No call " + callId));
    if (call.status().terminal() || (call.outcome() != null && call.twilioCallSid() == null)) {
      throw new ConflictException(
          "Call "
              + callId
              + " is already over ("
              + call.status().wire()
              + (call.outcome() == null ? "" : ", " + call.outcome().wire())
              + ").");
    }
    // A call nobody answered yet is cancelled rather than completed.
    boolean answered = call.answeredAt() != null || call.status() == CallStatus.IN_PROGRESS;
    records.setOutcome(
        callId,
        answered ? CallOutcome.COMPLETED : CallOutcome.CANCELED,
        "hung up by " + actor.email());
    // Read again: a dial in flight may have stored its CallSid since.
    String callSid = records.find(callId).map(CallRecord::twilioCallSid).orElse(null);
    if (callSid != null) {
      try {
        control.hangUp(callSid);
      } catch (CallControlException e) {
        if (e.reason() == CallControlException.Reason.CALL_NOT_IN_PROGRESS
            || e.reason() == CallControlException.Reason.NOT_FOUND) {
          log.info("Call {} had already ended at Twilio when it was hung up", callId);
        } else {
          throw DialRefusal.twilioFailed(callId, "Twilio could not hang up: " + e.getMessage());
        }
      }
    }
    // Without a CallSid the dial is still in flight: it sees the outcome and hangs up itself.
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("to", call.toNumber());
    if (callSid != null) {
      details.put("callSid", callSid);
    }
    details.put("status", call.status().wire());
    events.publishEvent(
        new AuditEvent(
            actor.userId(), actor.email(), "call.hung_up", "call", callId.toString(), details));
    return records.find(callId).orElseThrow(() -> new NotFoundException("No call " + callId));
  }
}
