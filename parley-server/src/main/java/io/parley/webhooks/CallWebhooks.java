package io.parley.webhooks;

import io.parley.calls.CallAnalysis;
import io.parley.calls.CallEvent;
import io.parley.calls.CallEvent.CallAnalyzed;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns call events into {@code call.started}, {@code call.ended} and {@code call.analyzed}, in the
 * transaction that recorded them (a synchronous listener: the call's row is locked there, so one
 * call's events are numbered in order).
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
  private final JsonMapper json;

  CallWebhooks(OutboxWriter outbox, CallRecords calls, JsonMapper json) {
    this.outbox = outbox;
    this.calls = calls;
    this.json = json;
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
      case CallAnalyzed analyzed -> analyzed(analyzed);
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

  private void analyzed(CallAnalyzed event) {
    if (!outbox.wanted(event.organisationId(), WebhookEventType.CALL_ANALYZED)) {
      return;
    }
    calls
        .analysis(event.callId())
        .ifPresent(
            analysis ->
                outbox.record(
                    event.organisationId(),
                    WebhookEventType.CALL_ANALYZED,
                    event.callId(),
                    AnalysisData.of(event.callId(), analysis, json),
                    "call.analyzed:" + event.callId()));
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

  /**
   * The {@code data} of {@code call.analyzed}: what post-call analysis made of the call
   * (docs/analysis.md); {@code fields} is the object answering the agent's schema.
   */
  record AnalysisData(
      UUID callId,
      String status,
      String summary,
      String category,
      String sentiment,
      JsonNode fields,
      String error,
      String model,
      long promptTokens,
      long completionTokens,
      Instant analyzedAt) {

    static AnalysisData of(UUID callId, CallAnalysis a, JsonMapper json) {
      return new AnalysisData(
          callId,
          a.status().wire(),
          a.summary(),
          a.category(),
          a.sentiment(),
          a.fieldsJson() == null ? null : json.readTree(a.fieldsJson()),
          a.error(),
          a.model(),
          a.promptTokens(),
          a.completionTokens(),
          a.createdAt());
    }
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
