package io.parley.calls;

import io.parley.calls.CallEvent.CallCreated;
import io.parley.calls.CallEvent.CallDispositioned;
import io.parley.calls.CallEvent.CallEnded;
import io.parley.calls.CallEvent.CallStatusChanged;
import io.parley.calls.CallEvent.TranscriptSegmentAdded;
import io.parley.calls.CallRepository.Counter;
import io.parley.calls.CallRepository.Numbered;
import io.parley.nodes.NodeIdentity;
import io.parley.nodes.NodeSettings;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.NotFoundException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * The write side of call records. State changes lock the call row first, so concurrent callbacks
 * for one call are applied one after the other, each against what the previous one wrote.
 */
@Service
class CallRecordService implements CallRecords {

  private static final Pattern ANSWERED_BY = Pattern.compile("[a-z_]{1,32}");
  private static final int MAX_REASON = 500;
  private static final int MAX_UNFINISHED = 1000;

  private final CallRepository calls;
  private final CallPartsRepository parts;
  private final CallJson json;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate ownTransaction;
  private final NodeIdentity node;
  private final NodeSettings nodeSettings;
  private final RecordingCopies copies;
  private final CallAnalysisRepository analyses;

  CallRecordService(
      CallRepository calls,
      CallPartsRepository parts,
      CallJson json,
      ApplicationEventPublisher events,
      PlatformTransactionManager transactions,
      NodeIdentity node,
      NodeSettings nodeSettings,
      RecordingCopies copies,
      CallAnalysisRepository analyses) {
    this.calls = calls;
    this.analyses = analyses;
    this.copies = copies;
    this.node = node;
    this.nodeSettings = nodeSettings;
    this.parts = parts;
    this.json = json;
    this.events = events;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  @Override
  public CreatedCall create(NewCall call) {
    ObjectNode snapshot = json.object("agentSnapshot", call.agentSnapshotJson());
    String agentName = agentName(snapshot);
    json.object("leadVariables", call.leadVariablesJson());
    Optional<CallRecord> existing = ownTransaction.execute(status -> existing(call));
    if (existing.isPresent()) {
      return replay(existing.get(), call);
    }
    UUID id = UUID.randomUUID();
    try {
      ownTransaction.executeWithoutResult(
          status -> {
            calls.insert(id, call, agentName, node.id(), now());
            events.publishEvent(
                new CallCreated(
                    id,
                    call.organisationId(),
                    call.agentId(),
                    call.direction(),
                    call.initialStatus()));
          });
      return new CreatedCall(id, true);
    } catch (DuplicateKeyException raced) {
      // A concurrent create with the same key or CallSid committed first; PostgreSQL has aborted
      // the failed transaction, so the winner is read in a fresh one.
      CallRecord winner = ownTransaction.execute(status -> existing(call)).orElseThrow(() -> raced);
      return replay(winner, call);
    } catch (DataIntegrityViolationException e) {
      String message = String.valueOf(e.getMostSpecificCause().getMessage());
      if (message.contains("prompt")) {
        throw new InvalidInputException("promptId", "must name an existing prompt");
      }
      if (message.contains("agent")) {
        throw new InvalidInputException("agentId", "must name an existing agent");
      }
      throw e;
    }
  }

  /** The snapshot's {@code name}, kept in a column so history lists need not read snapshots. */
  private static String agentName(ObjectNode snapshot) {
    if (snapshot == null || !snapshot.path("name").isString()) {
      return null;
    }
    String name = snapshot.path("name").asString();
    return name.length() > 200 ? name.substring(0, 200) : name;
  }

  private Optional<CallRecord> existing(NewCall call) {
    if (call.idempotencyKey() != null) {
      Optional<CallRecord> byKey = calls.findByKey(call.organisationId(), call.idempotencyKey());
      if (byKey.isPresent()) {
        return byKey;
      }
    }
    return call.twilioCallSid() == null ? Optional.empty() : calls.findBySid(call.twilioCallSid());
  }

  /** A repeated create: the same call again is fine, a different call under the key is not. */
  private static CreatedCall replay(CallRecord stored, NewCall call) {
    boolean same =
        stored.organisationId().equals(call.organisationId())
            && stored.direction() == call.direction()
            && Objects.equals(stored.agentId(), call.agentId())
            && stored.toNumber().equals(call.toNumber());
    if (!same) {
      throw new ConflictException(
          call.idempotencyKey() != null && call.idempotencyKey().equals(stored.idempotencyKey())
              ? "Idempotency-Key " + call.idempotencyKey() + " was used for a different call"
              : "CallSid " + call.twilioCallSid() + " belongs to a different call");
    }
    return new CreatedCall(stored.id(), false);
  }

  @Override
  @Transactional
  public void attachCallSid(UUID callId, String callSid) {
    if (callSid == null || !NewCall.CALL_SID.matcher(callSid).matches()) {
      throw new InvalidInputException("callSid", "must be 1 to 64 letters and digits");
    }
    CallRecord call = locked(callId);
    if (callSid.equals(call.twilioCallSid())) {
      return;
    }
    if (call.twilioCallSid() != null) {
      throw new ConflictException(
          "Call " + callId + " already has CallSid " + call.twilioCallSid());
    }
    try {
      calls.attachSid(callId, callSid, now());
    } catch (DuplicateKeyException e) {
      throw new ConflictException("CallSid " + callSid + " belongs to another call");
    }
  }

  @Override
  @Transactional
  public void claim(UUID callId) {
    if (!calls.claim(callId, node.id(), now())) {
      throw notFound(callId);
    }
  }

  /**
   * Read committed on every vendor: under MariaDB's default repeatable read the statement's look at
   * the {@code node} table takes shared locks there, and two nodes taking the same call over while
   * heartbeats update those rows deadlocked (seen in CI). Read committed makes that look a plain
   * consistent read, leaving the call row's own lock as the only one taken.
   */
  @Override
  @Transactional(isolation = Isolation.READ_COMMITTED)
  public boolean takeOver(UUID callId, String holder) {
    Instant now = now();
    return calls.takeOver(callId, holder, node.id(), now.minus(nodeSettings.deadAfter()), now);
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<CallRecord> find(UUID callId) {
    return calls.find(callId);
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<CallRecord> findByCallSid(String callSid) {
    return callSid == null ? Optional.empty() : calls.findBySid(callSid);
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<CallRecord> findByIdempotencyKey(UUID organisationId, String idempotencyKey) {
    if (organisationId == null || idempotencyKey == null) {
      return Optional.empty();
    }
    return calls.findByKey(organisationId, idempotencyKey);
  }

  @Override
  @Transactional
  public StatusChange applyStatus(UUID callId, StatusUpdate update) {
    CallRecord call = locked(callId);
    CallProgress before = progress(call);
    CallProgress after = before.apply(update);
    if (after.equals(before)) {
      return new StatusChange(before.status(), before.status(), false);
    }
    calls.writeProgress(callId, after, now());
    boolean moved = after.status() != before.status();
    if (moved) {
      events.publishEvent(
          new CallStatusChanged(
              callId, call.organisationId(), before.status(), after.status(), update.at()));
      if (after.status().terminal()) {
        CallOutcome outcome = call.outcome();
        if (outcome == null && after.status().unanswered()) {
          outcome = CallOutcome.ofUnanswered(after.status()).orElseThrow();
          dispose(call, outcome, "carrier reported " + after.status().wire());
        }
        events.publishEvent(
            new CallEnded(
                callId,
                call.organisationId(),
                call.agentId(),
                after.status(),
                outcome,
                after.endedAt(),
                after.durationSeconds()));
      }
    }
    return new StatusChange(before.status(), after.status(), moved);
  }

  @Override
  @Transactional
  public boolean setAnsweredBy(UUID callId, String answeredBy) {
    if (answeredBy == null || !ANSWERED_BY.matcher(answeredBy).matches()) {
      throw new InvalidInputException(
          "answeredBy", "must be Twilio's AnsweredBy value, such as human or machine_start");
    }
    locked(callId);
    return calls.setAnsweredBy(callId, answeredBy, now());
  }

  @Override
  @Transactional
  public boolean setOutcome(UUID callId, CallOutcome outcome, String reason) {
    checkOutcome(outcome, reason);
    CallRecord call = locked(callId);
    return call.outcome() == null && dispose(call, outcome, reason);
  }

  @Override
  @Transactional
  public void recordRecording(UUID callId, Recording recording) {
    if (recording == null) {
      throw new InvalidInputException("recording", "is required");
    }
    if (!recording.equals(locked(callId).recording())) {
      calls.setRecording(callId, recording, now());
      copies.scheduleFor(callId);
    }
  }

  @Override
  @Transactional
  public void recordAnswer(UUID callId, String jsonObject) {
    ObjectNode answers = json.object("answers", jsonObject);
    if (answers == null) {
      throw new InvalidInputException("answers", "is required");
    }
    CallRecord call = locked(callId);
    ObjectNode merged =
        call.extractedDataJson() == null
            ? answers
            : ((ObjectNode) json.tree(call.extractedDataJson())).setAll(answers);
    calls.setExtractedData(callId, json.write(merged), now());
  }

  @Override
  public void recordFirstAgentAudio(UUID callId, long afterStartMs) {
    if (afterStartMs < 0) {
      throw new InvalidInputException("afterStartMs", "must not be negative");
    }
    calls.setFirstAgentAudio(callId, afterStartMs, now());
  }

  @Override
  public void markAbandoned(UUID callId) {
    calls.markAbandoned(callId, now());
  }

  @Override
  @Transactional
  public int appendSegment(UUID callId, NewSegment segment) {
    if (segment == null) {
      throw new InvalidInputException("segment", "is required");
    }
    Numbered seq = number(callId, Counter.SEGMENT);
    parts.insertSegment(callId, seq.organisationId(), seq.number(), segment, now());
    events.publishEvent(
        new TranscriptSegmentAdded(
            callId,
            seq.organisationId(),
            seq.number(),
            segment.role(),
            segment.text(),
            segment.interrupted()));
    return seq.number();
  }

  @Override
  @Transactional
  public int appendToolInvocation(UUID callId, NewToolInvocation invocation) {
    if (invocation == null) {
      throw new InvalidInputException("invocation", "is required");
    }
    json.value("arguments", invocation.argumentsJson());
    json.value("result", invocation.resultJson());
    Numbered seq = number(callId, Counter.TOOL_INVOCATION);
    parts.insertToolInvocation(callId, seq.organisationId(), seq.number(), invocation);
    return seq.number();
  }

  @Override
  @Transactional
  public int appendTurn(UUID callId, TurnTimings turn) {
    if (turn == null) {
      throw new InvalidInputException("turn", "is required");
    }
    Numbered number = number(callId, Counter.TURN);
    parts.insertTurn(callId, number.organisationId(), number.number(), turn);
    return number.number();
  }

  @Override
  @Transactional
  public boolean finish(UUID callId, CallOutcome outcome, String reason, Instant endedAt) {
    checkOutcome(outcome, reason);
    if (endedAt == null) {
      throw new InvalidInputException("endedAt", "is required");
    }
    CallRecord call = locked(callId);
    CallProgress before = progress(call);
    CallProgress after = before.finish(endedAt.truncatedTo(ChronoUnit.MICROS));
    if (!after.equals(before)) {
      calls.writeProgress(callId, after, now());
    }
    return call.outcome() == null && dispose(call, outcome, reason);
  }

  @Override
  @Transactional(readOnly = true)
  public List<CallRecord> unfinished(Instant createdBefore, int limit) {
    if (createdBefore == null) {
      throw new InvalidInputException("createdBefore", "is required");
    }
    if (limit < 1 || limit > MAX_UNFINISHED) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_UNFINISHED);
    }
    return calls.unfinished(createdBefore, limit);
  }

  private boolean dispose(CallRecord call, CallOutcome outcome, String reason) {
    if (!calls.setOutcome(call.id(), outcome, reason, now())) {
      return false;
    }
    events.publishEvent(
        new CallDispositioned(call.id(), call.organisationId(), call.agentId(), outcome, reason));
    return true;
  }

  private static void checkOutcome(CallOutcome outcome, String reason) {
    if (outcome == null) {
      throw new InvalidInputException("outcome", "is required");
    }
    if (reason != null && reason.length() > MAX_REASON) {
      throw new InvalidInputException("reason", "must be at most " + MAX_REASON + " characters");
    }
  }

  private CallRecord locked(UUID callId) {
    return calls.lock(callId).orElseThrow(() -> notFound(callId));
  }

  private Numbered number(UUID callId, Counter counter) {
    return calls.nextNumber(callId, counter).orElseThrow(() -> notFound(callId));
  }

  private static NotFoundException notFound(UUID callId) {
    return new NotFoundException("No call " + callId);
  }

  private static CallProgress progress(CallRecord call) {
    return new CallProgress(
        call.status(), call.startedAt(), call.answeredAt(), call.endedAt(), call.durationSeconds());
  }

  // Truncated to what both databases store, so what a method returns equals what a read returns.
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public int countOutboundTo(UUID organisationId, String toNumber, Instant since) {
    return calls.countOutboundTo(organisationId, toNumber, since);
  }

  @Override
  public Optional<Instant> firstOutboundTo(UUID organisationId, String toNumber, Instant since) {
    return calls.firstOutboundTo(organisationId, toNumber, since);
  }

  @Override
  @Transactional(readOnly = true)
  public List<TranscriptSegment> transcript(UUID callId) {
    return parts.segments(callId);
  }

  @Override
  @Transactional
  public boolean recordAnalysis(UUID callId, CallAnalysis analysis) {
    if (analysis.fieldsJson() != null) {
      json.object("fields", analysis.fieldsJson());
    }
    CallRecord call = locked(callId);
    CallAnalysis stamped =
        new CallAnalysis(
            analysis.status(),
            analysis.summary(),
            analysis.category(),
            analysis.sentiment(),
            analysis.fieldsJson(),
            analysis.error(),
            analysis.provider(),
            analysis.model(),
            analysis.promptTokens(),
            analysis.completionTokens(),
            analysis.attempts(),
            now());
    if (!analyses.insert(callId, call.organisationId(), stamped)) {
      return false;
    }
    events.publishEvent(
        new CallEvent.CallAnalyzed(
            callId,
            call.organisationId(),
            call.agentId(),
            stamped.status(),
            stamped.category(),
            stamped.sentiment()));
    return true;
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<CallAnalysis> analysis(UUID callId) {
    return analyses.find(callId);
  }
}
