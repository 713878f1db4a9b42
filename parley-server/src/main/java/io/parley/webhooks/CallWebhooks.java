package io.parley.webhooks;

import io.parley.calls.CallEvent;
import io.parley.calls.CallEvent.CallCreated;
import io.parley.calls.CallEvent.CallDispositioned;
import io.parley.calls.CallEvent.CallEnded;
import io.parley.calls.CallEvent.CallStatusChanged;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import java.time.Instant;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns call events into {@code call.started} and {@code call.ended}, in the transaction that
 * recorded them (a synchronous listener: the call's row is locked there, so one call's events are
 * numbered in order).
 *
 * <ul>
 *   <li>{@code call.started}: the call was answered, i.e. its carrier status became {@code
 *       in_progress} (an inbound call created in that status included). A call that went straight
 *       to {@code completed} without Parley seeing {@code in_progress} gets it just before {@code
 *       call.ended}, so every answered call has both.
 *   <li>{@code call.ended}: the call has its final carrier status <em>and</em> its outcome,
 *       whichever came last (the carrier's status callback and the engine's disposition race), so
 *       the event always carries the outcome.
 * </ul>
 *
 * Each is recorded once per call (dedupe keys {@code call.started:<id>}, {@code call.ended:<id>}).
 */
@Component
class CallWebhooks {

  private final OutboxWriter outbox;
  private final CallRecords calls;

  CallWebhooks(OutboxWriter outbox, CallRecords calls) {
    this.outbox = outbox;
    this.calls = calls;
  }

  @EventListener
  void on(CallEvent event) {
    switch (event) {
      case CallCreated created when created.status() == CallStatus.IN_PROGRESS -> started(event);
      case CallStatusChanged changed
          when changed.to() == CallStatus.IN_PROGRESS
              || (changed.to() == CallStatus.COMPLETED
                  && changed.from().rank() < CallStatus.IN_PROGRESS.rank()) ->
          started(event);
      case CallEnded ended when ended.outcome() != null -> ended(event);
      case CallDispositioned disposed -> ended(event);
      default -> {}
    }
  }

  private void started(CallEvent event) {
    if (!outbox.wanted(event.organisationId(), WebhookEventType.CALL_STARTED)) {
      return;
    }
    calls
        .find(event.callId())
        .ifPresent(
            call ->
                outbox.record(
                    call.organisationId(),
                    WebhookEventType.CALL_STARTED,
                    call.id(),
                    CallData.of(call),
                    "call.started:" + call.id()));
  }

  private void ended(CallEvent event) {
    if (!outbox.wanted(event.organisationId(), WebhookEventType.CALL_ENDED)) {
      return;
    }
    calls
        .find(event.callId())
        // Both halves known: a disposition that comes first waits for the final status.
        .filter(call -> call.status().terminal() && call.outcome() != null)
        .ifPresent(
            call ->
                outbox.record(
                    call.organisationId(),
                    WebhookEventType.CALL_ENDED,
                    call.id(),
                    CallData.of(call),
                    "call.ended:" + call.id()));
  }

  /** The {@code data} of call events: the call as it stands when the event is recorded. */
  record CallData(
      UUID callId,
      String direction,
      String status,
      String outcome,
      String outcomeReason,
      String answeredBy,
      UUID agentId,
      String agentName,
      String from,
      String to,
      UUID campaignId,
      Instant startedAt,
      Instant answeredAt,
      Instant endedAt,
      Integer durationSeconds) {

    static CallData of(CallRecord call) {
      return new CallData(
          call.id(),
          call.direction().wire(),
          call.status().wire(),
          call.outcome() == null ? null : call.outcome().wire(),
          call.outcomeReason(),
          call.answeredBy(),
          call.agentId(),
          call.agentName(),
          call.fromNumber(),
          call.toNumber(),
          call.campaignId(),
          call.startedAt(),
          call.answeredAt(),
          call.endedAt(),
          call.durationSeconds());
    }
  }
}
