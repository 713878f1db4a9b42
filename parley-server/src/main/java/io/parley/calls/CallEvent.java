package io.parley.calls;

import java.time.Instant;
import java.util.UUID;

/**
 * Business facts about calls, published with Spring's ApplicationEventPublisher inside the
 * transaction that recorded them (use {@code @TransactionalEventListener} to act after commit).
 */
public sealed interface CallEvent {

  UUID callId();

  UUID organisationId();

  /** A call row was written (not published when create returned an existing call). */
  record CallCreated(
      UUID callId, UUID organisationId, UUID agentId, CallDirection direction, CallStatus status)
      implements CallEvent {}

  /** The carrier status advanced. */
  record CallStatusChanged(
      UUID callId, UUID organisationId, CallStatus from, CallStatus to, Instant at)
      implements CallEvent {}

  /**
   * The call reached a final carrier status; published once per call. The outcome may still be null
   * if whoever disposes the call has not done so yet ({@link CallDispositioned} follows).
   */
  record CallEnded(
      UUID callId,
      UUID organisationId,
      UUID agentId,
      CallStatus status,
      CallOutcome outcome,
      Instant endedAt,
      Integer durationSeconds)
      implements CallEvent {}

  /** The attempt's one disposition was recorded; published once per call. */
  record CallDispositioned(
      UUID callId, UUID organisationId, UUID agentId, CallOutcome outcome, String reason)
      implements CallEvent {}

  /** A transcript segment was stored. */
  record TranscriptSegmentAdded(
      UUID callId, UUID organisationId, int seq, SegmentRole role, String text, boolean interrupted)
      implements CallEvent {}

  /**
   * Post-call analysis was stored (docs/analysis.md): {@code status} done with a category (null
   * when the agent has none) and sentiment, or error. Published once per call.
   */
  record CallAnalyzed(
      UUID callId,
      UUID organisationId,
      UUID agentId,
      CallAnalysis.Status status,
      String category,
      String sentiment)
      implements CallEvent {}
}
