package io.parley.telephony;

import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.Recording;
import io.parley.calls.StatusUpdate;
import io.parley.shared.NotFoundException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Applies Twilio's call callbacks to call records. {@link CallRecords} makes each write idempotent
 * and order-safe, so duplicates and late deliveries change nothing. A CallSid Parley has no record
 * of (a call placed from the Twilio console, a record already cleaned up) is logged and ignored:
 * Twilio gets its 200 and nothing is written.
 */
@Service
class CallCallbacks {

  private static final Logger log = LoggerFactory.getLogger(CallCallbacks.class);

  private final CallRecords records;
  private final CallControl control;
  private final CallCapacity capacity;
  private final org.springframework.context.ApplicationEventPublisher events;

  CallCallbacks(
      CallRecords records,
      CallControl control,
      CallCapacity capacity,
      org.springframework.context.ApplicationEventPublisher events) {
    this.records = records;
    this.control = control;
    this.capacity = capacity;
    this.events = events;
  }

  /** A call status callback. */
  void status(
      String callSid,
      java.util.UUID placedCallId,
      CallStatus status,
      Instant at,
      Integer duration,
      String answeredBy) {
    Optional<CallRecord> call = records.findByCallSid(callSid);
    if (call.isEmpty() && placedCallId != null) {
      call = adopt(placedCallId, callSid);
    }
    if (call.isEmpty()) {
      log.info(
          "Ignored Twilio callback (status {}) for unknown CallSid {}", status.wire(), callSid);
    }
    if (call.isEmpty()) {
      return;
    }
    try {
      records.applyStatus(call.get().id(), new StatusUpdate(status, at, duration));
      if (status.terminal()) {
        capacity.release(call.get().id());
      }
      if (answeredBy != null) {
        records.setAnsweredBy(call.get().id(), answeredBy);
      }
    } catch (NotFoundException e) {
      log.info("Call {} disappeared while its status callback was applied", callSid);
    }
  }

  /**
   * An outbound call whose CallSid is not stored yet (its first callback beat the dialer): the
   * callback URL named the call, so the sid is stored now. A call that has another sid is not
   * touched.
   */
  private Optional<CallRecord> adopt(java.util.UUID callId, String callSid) {
    Optional<CallRecord> placed = records.find(callId);
    if (placed.isEmpty() || placed.get().twilioCallSid() != null) {
      return Optional.empty();
    }
    try {
      records.attachCallSid(callId, callSid);
    } catch (io.parley.shared.ConflictException e) {
      return Optional.empty();
    }
    return records.find(callId);
  }

  /** A recording status callback for a completed recording. */
  void recording(String callSid, Recording recording) {
    Optional<CallRecord> call = known(callSid, "recording " + recording.sid());
    if (call.isEmpty()) {
      return;
    }
    try {
      records.recordRecording(call.get().id(), recording);
    } catch (NotFoundException e) {
      log.info("Call {} disappeared while its recording was stored", callSid);
    }
  }

  /**
   * The asynchronous answering-machine verdict. The first verdict stays; when it is not a person (a
   * machine or a fax) the call gets that outcome and is hung up, so the agent never talks to a
   * machine. Hanging up again on a duplicate is harmless: Twilio ignores it for an ended call.
   *
   * <p>A call with a voicemail message is not hung up on a machine: its conversation waits for the
   * end of the greeting ({@code machine_end_*}, which may follow a {@code machine_start}), leaves
   * the message, hangs up and records the outcome itself.
   */
  void answeredBy(String callSid, String answeredBy) {
    Optional<CallRecord> found = known(callSid, "answered-by " + answeredBy);
    if (found.isEmpty()) {
      return;
    }
    CallRecord call = found.get();
    try {
      records.setAnsweredBy(call.id(), answeredBy);
      // The stored verdict decides: a late duplicate never overrides the first one.
      CallRecord current = records.find(call.id()).orElseThrow(() -> gone(call));
      Optional<CallOutcome> machine = nonHuman(current.answeredBy());
      events.publishEvent(
          new AnsweringMachineVerdict(call.id(), current.answeredBy(), machine.isEmpty()));
      if (machine.isEmpty() || leavesVoicemail(current)) {
        return;
      }
      records.setOutcome(
          call.id(), machine.get(), "answering-machine detection: " + current.answeredBy());
      if (!current.status().terminal()) {
        hangUp(callSid);
      }
    } catch (NotFoundException e) {
      log.info("Call {} disappeared while its answering-machine result was applied", callSid);
    }
  }

  /**
   * A machine on a call with a voicemail message (text or recording): the conversation leaves it
   * and hangs up.
   */
  private static boolean leavesVoicemail(CallRecord call) {
    return (call.voicemailMessage() != null || call.voicemailRecording() != null)
        && call.answeredBy().startsWith("machine");
  }

  private static NotFoundException gone(CallRecord call) {
    return new NotFoundException("No call " + call.id());
  }

  /** {@code machine_start}, {@code machine_end_*} → machine, {@code fax} → fax; else a person. */
  static Optional<CallOutcome> nonHuman(String answeredBy) {
    if (answeredBy == null) {
      return Optional.empty();
    }
    if (answeredBy.startsWith("machine")) {
      return Optional.of(CallOutcome.MACHINE);
    }
    return answeredBy.equals("fax") ? Optional.of(CallOutcome.FAX) : Optional.empty();
  }

  private void hangUp(String callSid) {
    try {
      control.hangUp(callSid);
    } catch (CallControlException e) {
      if (e.reason() == CallControlException.Reason.CALL_NOT_IN_PROGRESS
          || e.reason() == CallControlException.Reason.NOT_FOUND) {
        log.info("Call {} had already ended when Parley hung up on the machine", callSid);
      } else {
        log.warn("Could not hang up call {} on a machine: {}", callSid, e.getMessage());
      }
    }
  }

  private Optional<CallRecord> known(String callSid, String what) {
    Optional<CallRecord> call = records.findByCallSid(callSid);
    if (call.isEmpty()) {
      log.info("Ignored Twilio callback ({}) for unknown CallSid {}", what, callSid);
    }
    return call;
  }
}
