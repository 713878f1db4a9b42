package io.parley.dialing;

import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.StatusUpdate;
import io.parley.providers.ProviderRegistry;
import io.parley.shared.LogSafe;
import io.parley.telephony.CallControl;
import io.parley.telephony.CallControl.CallState;
import io.parley.telephony.CallControlException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Settles the calls a previous run left open, once, after start-up (on its own virtual thread, so a
 * slow Twilio never delays the start). For each call not final in the records and older than a
 * minute:
 *
 * <ul>
 *   <li>no CallSid and older than two minutes: Parley stopped between writing the attempt and
 *       asking Twilio, so it was never dialled: failed;
 *   <li>a CallSid: Twilio's status is applied (the records only ever move forward);
 *   <li>Twilio says in progress, answered before this process started: its media stream lived in
 *       the process that stopped, so nobody talks to the callee any more. It is hung up and
 *       disposed {@code system_error}.
 * </ul>
 *
 * <p>Calls still queued or ringing at Twilio are left alone: when answered, Twilio asks the voice
 * webhook, which this process serves. One process serves the records; several nodes behind one
 * database would need the live streams of every node.
 */
@Component
class CallReconciler {

  private static final Logger log = LoggerFactory.getLogger(CallReconciler.class);

  /** Younger calls may still be in the hands of a request that is dialling them. */
  static final Duration MIN_AGE = Duration.ofMinutes(1);

  /** A call without a CallSid this old was never sent to Twilio. */
  static final Duration NEVER_DIALLED_AFTER = Duration.ofMinutes(2);

  static final int BATCH = 500;

  static final String NEVER_DIALLED = "never dialled: Parley stopped before the request";
  static final String ORPHANED = "orphaned after restart";

  private final CallRecords records;
  private final CallControl control;
  private final ProviderRegistry providers;
  private final Clock clock;
  private final Instant bootedAt;

  CallReconciler(
      CallRecords records, CallControl control, ProviderRegistry providers, Clock clock) {
    this.records = records;
    this.control = control;
    this.providers = providers;
    this.clock = clock;
    // Before the server accepts requests: any call answered on this node is answered later.
    this.bootedAt = clock.instant();
  }

  /** What one run did, for the log line and tests. */
  record Report(int checked, int updated, int neverDialled, int orphaned, int failed) {}

  private volatile Thread startupRun;

  @EventListener(ApplicationReadyEvent.class)
  void onReady() {
    startupRun = Thread.ofVirtual().name("reconciler").start(this::run);
  }

  /** Waits for the start-up run, so a test's own run does not race it for the same rows. */
  void awaitStartupRun() throws InterruptedException {
    Thread run = startupRun;
    if (run != null) {
      run.join();
    }
  }

  synchronized Report run() {
    if (providers.twilio().isEmpty()) {
      log.info("Call reconciliation skipped: Twilio is not configured");
      return new Report(0, 0, 0, 0, 0);
    }
    Instant now = clock.instant();
    List<CallRecord> open = records.unfinished(now.minus(MIN_AGE), BATCH);
    int updated = 0;
    int neverDialled = 0;
    int orphaned = 0;
    int failed = 0;
    for (CallRecord call : open) {
      try {
        switch (reconcile(call, now)) {
          case UPDATED -> updated++;
          case NEVER_DIALLED -> neverDialled++;
          case ORPHANED -> orphaned++;
          case UNCHANGED -> {}
        }
      } catch (CallControlException e) {
        failed++;
        if (e.reason() != CallControlException.Reason.NOT_FOUND) {
          // Twilio unreachable or refusing us: the next start tries again.
          log.warn("Call reconciliation stopped at call {}: {}", call.id(), e.getMessage());
          break;
        }
        log.warn("Call {}: Twilio has no call {}", call.id(), call.twilioCallSid());
      } catch (RuntimeException e) {
        failed++;
        log.warn("Call reconciliation could not settle call {}", call.id(), e);
      }
    }
    Report report = new Report(open.size(), updated, neverDialled, orphaned, failed);
    if (!open.isEmpty()) {
      log.info(
          "Call reconciliation: {} open calls checked, {} updated from Twilio, {} never dialled,"
              + " {} orphaned and hung up, {} could not be settled",
          report.checked(),
          report.updated(),
          report.neverDialled(),
          report.orphaned(),
          report.failed());
    }
    return report;
  }

  private enum Result {
    UNCHANGED,
    UPDATED,
    NEVER_DIALLED,
    ORPHANED
  }

  private Result reconcile(CallRecord call, Instant now) {
    if (call.twilioCallSid() == null) {
      if (call.createdAt().isAfter(now.minus(NEVER_DIALLED_AFTER))) {
        return Result.UNCHANGED;
      }
      records.finish(call.id(), CallOutcome.FAILED, NEVER_DIALLED, now);
      records.applyStatus(call.id(), StatusUpdate.of(CallStatus.FAILED, now));
      return Result.NEVER_DIALLED;
    }
    CallState state = control.fetchStatus(call.twilioCallSid());
    Optional<CallStatus> reported = state.callStatus();
    if (reported.isEmpty()) {
      log.info(
          "Call {}: Twilio reports an unknown status {}", call.id(), LogSafe.text(state.status()));
      return Result.UNCHANGED;
    }
    CallStatus status = reported.get();
    Instant at = now;
    if (status.terminal() && state.endTime() != null) {
      at = state.endTime();
    } else if (status == CallStatus.IN_PROGRESS && state.startTime() != null) {
      at = state.startTime();
    }
    records.applyStatus(
        call.id(),
        new StatusUpdate(status, at, status.terminal() ? state.durationSeconds() : null));
    if (status == CallStatus.IN_PROGRESS && answeredBeforeBoot(call, state)) {
      // The outcome first: the hang-up ends whatever stream the call still has, and a conversation
      // that ends would otherwise record itself as completed before this line runs. (If the
      // hang-up fails, the carrier status stays open and the next run tries again.)
      records.setOutcome(call.id(), CallOutcome.SYSTEM_ERROR, ORPHANED);
      control.hangUp(call.twilioCallSid());
      records.finish(call.id(), CallOutcome.SYSTEM_ERROR, ORPHANED, now);
      return Result.ORPHANED;
    }
    return Result.UPDATED;
  }

  /**
   * The call was answered before this process started, so its stream was in the previous one. The
   * record's answer time comes first (Twilio's start time when the record has none); a call with
   * neither was never seen answered here, so it is treated as orphaned too.
   */
  private boolean answeredBeforeBoot(CallRecord call, CallState state) {
    Instant answered = call.answeredAt() != null ? call.answeredAt() : state.startTime();
    return answered == null || answered.isBefore(bootedAt);
  }
}
