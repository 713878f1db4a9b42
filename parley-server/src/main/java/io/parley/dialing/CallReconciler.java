package io.parley.dialing;

import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.StatusUpdate;
import io.parley.nodes.Node;
import io.parley.nodes.Nodes;
import io.parley.providers.ProviderRegistry;
import io.parley.shared.LogSafe;
import io.parley.telephony.CallControl;
import io.parley.telephony.CallControl.CallState;
import io.parley.telephony.CallControlException;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Settles the open calls nobody else will: those of dead nodes and those this node's previous run
 * left. It runs once after start-up and then every {@code PARLEY_RECONCILER_INTERVAL}, on its own
 * virtual thread (so a slow Twilio never delays the start). A call is looked at when it is not
 * final in the records, older than a minute, and either held by a node that is dead (or by none:
 * calls older than nodes), or held by this node and created before this run started. Calls of live
 * nodes, and this run's own calls, are left to the node that holds them.
 *
 * <ul>
 *   <li>no CallSid and older than two minutes: the node stopped between writing the attempt and
 *       storing Twilio's answer. Twilio is asked for the calls to that number from the agent's
 *       number around the attempt; one found is the attempt's call (its CallSid is stored and it is
 *       settled below), none means it was never dialled (failed), several cannot be told apart
 *       (system_error). Never "never dialled" without asking, so a crash after the request can
 *       never lead to a second dial;
 *   <li>a CallSid: Twilio's status is applied (the records only ever move forward);
 *   <li>Twilio says in progress, and the call's media stream was in a process that is gone (a dead
 *       node's call; this node's call answered before this run; a call whose CallSid only Twilio
 *       knew): nobody talks to the callee, so it is hung up and disposed {@code system_error}.
 * </ul>
 *
 * <p>Acting on another node's call first takes it over ({@link CallRecords#takeOver}): one
 * conditional update that also re-checks, at that moment, that the holder is still dead. So two
 * live nodes never both settle one call, and a node that only looked dead (its database writes
 * failed for a while) keeps its calls once its heartbeat is back. Calls still queued or ringing are
 * left to Twilio: when answered, Twilio asks the voice webhook, which any node serves.
 */
@Component
class CallReconciler {

  private static final Logger log = LoggerFactory.getLogger(CallReconciler.class);

  /** Younger calls may still be in the hands of a request that is dialling them. */
  static final Duration MIN_AGE = Duration.ofMinutes(1);

  /** A call without a CallSid this old has no request left in flight (Twilio's answer or not). */
  static final Duration NEVER_DIALLED_AFTER = Duration.ofMinutes(2);

  /**
   * Twilio's call for an attempt was created between this long before the row (clocks differ) and
   * {@link #DIAL_WINDOW} after it (the request follows the commit within its timeout).
   */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  static final Duration DIAL_WINDOW = Duration.ofMinutes(5);

  /** A call starts at most this long after its request (queue time, then up to 600 s ringing). */
  static final Duration STARTED_WITHIN = Duration.ofMinutes(15);

  static final int BATCH = 500;

  static final String NEVER_DIALLED = "never dialled: Parley stopped before the request";
  static final String ORPHANED = "orphaned: the node holding it stopped";
  static final String DIAL_UNKNOWN = "dial unknown: Twilio has several calls that may be this one";

  private final CallRecords records;
  private final CallControl control;
  private final ProviderRegistry providers;
  private final Nodes nodes;
  private final ReconcilerSettings settings;
  private final Clock clock;
  private final Instant bootedAt;
  private volatile ScheduledExecutorService scheduler;
  private volatile Future<?> startupRun;
  private boolean notConfiguredLogged;

  CallReconciler(
      CallRecords records,
      CallControl control,
      ProviderRegistry providers,
      Nodes nodes,
      ReconcilerSettings settings,
      Clock clock) {
    this.records = records;
    this.control = control;
    this.providers = providers;
    this.nodes = nodes;
    this.settings = settings;
    this.clock = clock;
    // Before the server accepts requests: any call this run creates or answers is later.
    this.bootedAt = clock.instant();
  }

  /** What one run did, for the log line and tests. */
  record Report(
      int checked,
      int updated,
      int neverDialled,
      int recovered,
      int orphaned,
      int takenByOthers,
      int failed) {}

  @EventListener(ApplicationReadyEvent.class)
  void onReady() {
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("reconciler").factory());
    scheduler = started;
    startupRun = started.submit(this::runLogged);
    long interval = settings.interval().toMillis();
    started.scheduleWithFixedDelay(this::runLogged, interval, interval, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    ScheduledExecutorService running = scheduler;
    if (running != null) {
      running.shutdownNow();
    }
  }

  /** Waits for the start-up run, so a test's own run does not race it for the same rows. */
  void awaitStartupRun() throws InterruptedException {
    Future<?> run = startupRun;
    if (run != null) {
      try {
        run.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  private void runLogged() {
    try {
      run();
    } catch (RuntimeException e) {
      // The database may be down for a moment: the next run tries again.
      log.warn("Call reconciliation failed: {}", e.toString());
    }
  }

  synchronized Report run() {
    if (providers.twilio().isEmpty()) {
      if (!notConfiguredLogged) {
        notConfiguredLogged = true;
        log.info("Call reconciliation skipped: Twilio is not configured");
      }
      return new Report(0, 0, 0, 0, 0, 0, 0);
    }
    Instant now = clock.instant();
    Set<String> alive =
        nodes.all().stream().filter(Node::alive).map(Node::id).collect(Collectors.toSet());
    String self = nodes.self().id();
    int checked = 0;
    int updated = 0;
    int neverDialled = 0;
    int recovered = 0;
    int orphaned = 0;
    int taken = 0;
    int failed = 0;
    for (CallRecord call : records.unfinished(now.minus(MIN_AGE), BATCH)) {
      boolean own = self.equals(call.nodeId());
      if (own ? !call.createdAt().isBefore(bootedAt) : alive.contains(call.nodeId())) {
        continue; // this run's own call, or a live node's
      }
      checked++;
      try {
        switch (reconcile(call, own, now)) {
          case UPDATED -> updated++;
          case NEVER_DIALLED -> neverDialled++;
          case RECOVERED -> recovered++;
          case ORPHANED -> orphaned++;
          case TAKEN -> taken++;
          case UNCHANGED -> {}
        }
      } catch (CallControlException e) {
        failed++;
        if (e.reason() != CallControlException.Reason.NOT_FOUND) {
          // Twilio unreachable or refusing us: the next run tries again.
          log.warn("Call reconciliation stopped at call {}: {}", call.id(), e.getMessage());
          break;
        }
        log.warn("Call {}: Twilio has no call {}", call.id(), call.twilioCallSid());
      } catch (RuntimeException e) {
        failed++;
        log.warn("Call reconciliation could not settle call {}", call.id(), e);
      }
    }
    Report report = new Report(checked, updated, neverDialled, recovered, orphaned, taken, failed);
    if (checked > 0) {
      log.info(
          "Call reconciliation: {} open calls of dead nodes or an earlier run checked, {} updated"
              + " from Twilio, {} never dialled, {} found at Twilio without a stored CallSid, {}"
              + " orphaned and hung up, {} settled by another node, {} could not be settled",
          report.checked(),
          report.updated(),
          report.neverDialled(),
          report.recovered(),
          report.orphaned(),
          report.takenByOthers(),
          report.failed());
    }
    return report;
  }

  private enum Result {
    UNCHANGED,
    UPDATED,
    NEVER_DIALLED,
    RECOVERED,
    ORPHANED,
    TAKEN
  }

  private Result reconcile(CallRecord call, boolean own, Instant now) {
    if (call.twilioCallSid() == null) {
      return withoutCallSid(call, own, now);
    }
    CallState state = control.fetchStatus(call.twilioCallSid());
    // A dead node's live call had its stream there; this node's only if answered before this run.
    boolean streamGone = !own || answeredBeforeBoot(call, state);
    return settle(call, state, streamGone, !own, now);
  }

  /**
   * The attempt was written but its CallSid never stored: Twilio decides whether it was dialled.
   * Its voice and status URLs carry the call id, so had any webhook reached a node the CallSid
   * would be stored; a call found here therefore never had a media stream.
   */
  private Result withoutCallSid(CallRecord call, boolean own, Instant now) {
    if (call.createdAt().isAfter(now.minus(NEVER_DIALLED_AFTER))) {
      return Result.UNCHANGED;
    }
    Instant created = call.createdAt();
    List<CallState> candidates =
        control
            .findCalls(
                call.toNumber(),
                call.fromNumber(),
                created.minus(CLOCK_SKEW),
                created.plus(STARTED_WITHIN))
            .stream()
            .filter(
                state ->
                    state.createdAt() != null
                        && !state.createdAt().isBefore(created.minus(CLOCK_SKEW))
                        && !state.createdAt().isAfter(created.plus(DIAL_WINDOW)))
            // a call another record holds is that record's attempt
            .filter(state -> records.findByCallSid(state.callSid()).isEmpty())
            .toList();
    if (!own && !records.takeOver(call.id(), call.nodeId())) {
      return Result.TAKEN;
    }
    if (candidates.isEmpty()) {
      close(call, CallOutcome.FAILED, NEVER_DIALLED, now);
      return Result.NEVER_DIALLED;
    }
    if (candidates.size() > 1) {
      String sids =
          candidates.stream().limit(5).map(CallState::callSid).collect(Collectors.joining(", "));
      log.warn(
          "Call {} to {}: Twilio has {} calls that may be this attempt ({}); disposed without"
              + " choosing one",
          call.id(),
          LogSafe.text(call.toNumber()),
          candidates.size(),
          sids);
      close(call, CallOutcome.SYSTEM_ERROR, DIAL_UNKNOWN + " (" + sids + ")", now);
      return Result.RECOVERED;
    }
    CallState found = candidates.getFirst();
    records.attachCallSid(call.id(), found.callSid());
    log.info(
        "Call {}: Twilio placed it as {} though the CallSid was never stored",
        call.id(),
        found.callSid());
    settle(call, found, true, false, now);
    return Result.RECOVERED;
  }

  /** Applies Twilio's status; hangs up a live call whose stream is gone. */
  private Result settle(
      CallRecord call, CallState state, boolean streamGone, boolean takeOver, Instant now) {
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
    if (status != CallStatus.IN_PROGRESS || !streamGone) {
      return Result.UPDATED;
    }
    // Just before acting: the holder must still be dead (and nobody else may have taken the call,
    // e.g. a live node whose webhook or media socket the call reached since it was read).
    if (takeOver && !records.takeOver(call.id(), call.nodeId())) {
      return Result.TAKEN;
    }
    // The outcome first: the hang-up ends whatever stream the call still has, and a conversation
    // that ends would otherwise record itself as completed before this line runs. (If the hang-up
    // fails, the carrier status stays open and this node's next start tries again.)
    records.setOutcome(call.id(), CallOutcome.SYSTEM_ERROR, ORPHANED);
    control.hangUp(state.callSid());
    records.finish(call.id(), CallOutcome.SYSTEM_ERROR, ORPHANED, now);
    return Result.ORPHANED;
  }

  /** Closes an attempt that has no call at Twilio to follow: the status goes final too. */
  private void close(CallRecord call, CallOutcome outcome, String reason, Instant now) {
    records.finish(call.id(), outcome, reason, now);
    records.applyStatus(call.id(), StatusUpdate.of(CallStatus.FAILED, now));
  }

  /**
   * The call was answered before this process started, so its stream was in the previous run. The
   * record's answer time comes first (Twilio's start time when the record has none); a call with
   * neither was never seen answered here, so it is treated as orphaned too.
   */
  private boolean answeredBeforeBoot(CallRecord call, CallState state) {
    Instant answered = call.answeredAt() != null ? call.answeredAt() : state.startTime();
    return answered == null || answered.isBefore(bootedAt);
  }
}
