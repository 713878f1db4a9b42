package io.parley.calls;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How telephony and the conversation engine write call records. Every method is idempotent or hands
 * out numbers atomically, so retried webhooks and racing threads never duplicate or reorder
 * anything. Unknown call ids raise {@link io.parley.shared.NotFoundException}; malformed input
 * raises {@link io.parley.shared.InvalidInputException} naming the field.
 */
public interface CallRecords {

  /**
   * Writes the attempt and commits it at once (in its own transaction, even when the caller has
   * one), so the row exists before anything is dialled. A call with the same idempotency key (in
   * the organisation) or the same CallSid is returned instead of a new one; a key reused for a
   * different call (another agent, direction or number) is a {@link
   * io.parley.shared.ConflictException}.
   */
  CreatedCall create(NewCall call);

  /**
   * Stores the CallSid Twilio returned for an outbound attempt. Repeating the same sid is a no-op;
   * a different sid, or a sid another call has, is a {@link io.parley.shared.ConflictException}.
   */
  void attachCallSid(UUID callId, String callSid);

  /**
   * Records that this node holds the call: it answered the call's webhook, or the call's media
   * stream reached it. {@link #create} records the creating node already.
   */
  void claim(UUID callId);

  /**
   * Takes the call over from {@code holder}, a node that looked dead, so that only one node acts on
   * it: this node becomes its holder only if {@code holder} still holds it (null: a call recorded
   * before nodes existed) and is still dead at this moment (its heartbeat older than {@code
   * PARLEY_NODE_DEAD_AFTER}, or stopped, or no row). One conditional update decides, so of two
   * nodes taking over one call exactly one gets true, and a holder whose heartbeat came back keeps
   * it.
   */
  boolean takeOver(UUID callId, String holder);

  Optional<CallRecord> find(UUID callId);

  Optional<CallRecord> findByCallSid(String callSid);

  /**
   * The call created with this idempotency key in the organisation, so that a retried request can
   * be answered before anything else is checked again.
   */
  Optional<CallRecord> findByIdempotencyKey(UUID organisationId, String idempotencyKey);

  /**
   * Applies a carrier status. The status only ever advances (queued → initiated → ringing →
   * in_progress → one final status; the first final status wins). Duplicates and late reports do
   * not move the call but fill times they carry that are missing (the earliest time of each stage
   * is kept), so any delivery order ends in the same record. A call that ends without connecting
   * (busy, no_answer, failed, canceled) is disposed with that result unless it already has an
   * outcome.
   */
  StatusChange applyStatus(UUID callId, StatusUpdate update);

  /**
   * Records answering-machine detection's verdict ({@code human}, {@code machine_start}, {@code
   * fax}, ...); the first verdict stays, except that the end of a machine's greeting ({@code
   * machine_end_*}) replaces {@code machine_start}. Returns whether this call stored it.
   */
  boolean setAnsweredBy(UUID callId, String answeredBy);

  /**
   * Records the call's disposition; the first one stays (returns false when one was already set).
   */
  boolean setOutcome(UUID callId, CallOutcome outcome, String reason);

  /** Stores the recording; repeating the same recording is a no-op. */
  void recordRecording(UUID callId, Recording recording);

  /**
   * Merges a JSON object of collected answers (the {@code record_answer} tool) into the call's
   * extracted data: top-level fields replace fields of the same name, others are kept.
   */
  void recordAnswer(UUID callId, String jsonObject);

  /**
   * Records when the callee first heard the agent, in milliseconds after the media stream started;
   * the first value recorded stays.
   */
  void recordFirstAgentAudio(UUID callId, long afterStartMs);

  /**
   * Marks the call as a drop in its campaign's abandonment rate: a live answer that heard no agent
   * within 2 s of the answer, or that Parley ended before speaking. Never unmarked.
   */
  void markAbandoned(UUID callId);

  /** Appends a transcript segment and returns its sequence number (1, 2, ... per call). */
  int appendSegment(UUID callId, NewSegment segment);

  /** Appends a tool invocation and returns its sequence number (1, 2, ... per call). */
  int appendToolInvocation(UUID callId, NewToolInvocation invocation);

  /** Appends one turn's stage timings and returns its turn number (1, 2, ... per call). */
  int appendTurn(UUID callId, TurnTimings turn);

  /**
   * Ends the call from Parley's side: sets the outcome (unless one is set; returns whether this one
   * was), the end time if none is known yet, and the duration from the answer time when the carrier
   * has not reported one. The carrier status is left to the carrier (or the reconciler).
   */
  boolean finish(UUID callId, CallOutcome outcome, String reason, Instant endedAt);

  /**
   * Calls whose carrier status is not final, created before {@code createdBefore}, oldest first:
   * what a reconciler checks against Twilio at start-up.
   */
  List<CallRecord> unfinished(Instant createdBefore, int limit);

  /**
   * Outbound attempts to {@code toNumber} created at or after {@code since}, placed or not, of any
   * campaign or none: what the compliance gate's per-number cap counts.
   */
  int countOutboundTo(UUID organisationId, String toNumber, Instant since);

  /** When the first of those attempts was created, if there is one. */
  Optional<Instant> firstOutboundTo(UUID organisationId, String toNumber, Instant since);

  /** The call's transcript segments in order; empty when it has none or retention purged it. */
  List<TranscriptSegment> transcript(UUID callId);

  /**
   * Stores the call's post-call analysis (docs/analysis.md) and publishes {@link
   * CallEvent.CallAnalyzed}; the first analysis stays (returns false when one was stored already).
   * The call's outcome is not touched.
   */
  boolean recordAnalysis(UUID callId, CallAnalysis analysis);

  /** The call's post-call analysis, if it has one. */
  Optional<CallAnalysis> analysis(UUID callId);
}
