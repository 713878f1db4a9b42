package io.parley.calls;

import static io.parley.calls.CallFixtures.AGENT;
import static io.parley.calls.CallFixtures.OTHER_AGENT;
import static io.parley.calls.CallFixtures.outbound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.calls.CallEvent.CallCreated;
import io.parley.calls.CallEvent.CallDispositioned;
import io.parley.calls.CallEvent.CallEnded;
import io.parley.calls.CallEvent.CallStatusChanged;
import io.parley.calls.CallEvent.TranscriptSegmentAdded;
import io.parley.nodes.NodeIdentity;
import io.parley.shared.Actor;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.NotFoundException;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.transaction.support.TransactionTemplate;

/** The write API on the real database: idempotency, ordering, numbering, round trips. */
@DbTest
@RecordApplicationEvents
class CallRecordsTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @Autowired CallRecords records;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired ApplicationEvents events;
  @Autowired TransactionTemplate transactions;
  @Autowired EndedProbe ended;
  @Autowired NodeIdentity node;

  /** Sees CallEnded from every thread (recorded application events only see the test thread). */
  @TestConfiguration
  static class EndedProbe {
    final List<CallEnded> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(CallEnded event) {
      events.add(event);
    }
  }

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    CallFixtures.createAgents(dataSource);
    ended.events.clear();
  }

  @Test
  void aCallRecordsTheNodeThatCreatedItAndThenTheNodeThatClaimsIt() {
    CreatedCall created = records.create(outbound("+14155550123").build());
    assertThat(records.find(created.id()).orElseThrow().nodeId()).isEqualTo(node.id());

    jdbc.sql("UPDATE call_record SET node_id = 'another-node' WHERE id = :id")
        .param("id", created.id())
        .update();
    records.claim(created.id());

    assertThat(records.find(created.id()).orElseThrow().nodeId()).isEqualTo(node.id());
    assertThatThrownBy(() -> records.claim(UUID.randomUUID()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void createsAQueuedAttemptWithItsSnapshotAndCreator() {
    Actor operator = new Actor(CallFixtures.USER, "op@example.com");
    CreatedCall created =
        records.create(outbound("+919812345678").createdBy(operator).idempotencyKey("k-1").build());

    assertThat(created.created()).isTrue();
    CallRecord call = records.find(created.id()).orElseThrow();
    assertThat(call.status()).isEqualTo(CallStatus.QUEUED);
    assertThat(call.direction()).isEqualTo(CallDirection.OUTBOUND);
    assertThat(call.agentId()).isEqualTo(AGENT);
    assertThat(call.agentName()).isEqualTo("आशा — clinic reminders");
    assertThat(call.promptVersion()).isEqualTo(1);
    assertThat(call.toNumber()).isEqualTo("+919812345678");
    assertThat(call.createdBy()).isEqualTo(operator);
    assertThat(call.outcome()).isNull();
    assertThat(call.agentSnapshotJson()).contains("आशा");
    assertThat(events.stream(CallCreated.class)).hasSize(1);
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameCallAndWritesOneRow() {
    CreatedCall first = records.create(outbound("+14155550123").idempotencyKey("lead-7").build());
    CreatedCall again = records.create(outbound("+14155550123").idempotencyKey("lead-7").build());

    assertThat(again).isEqualTo(new CreatedCall(first.id(), false));
    assertThat(count("call_record")).isEqualTo(1);
    assertThat(events.stream(CallCreated.class)).hasSize(1);
    // Keys are case-sensitive on both databases.
    assertThat(records.create(outbound("+14155550123").idempotencyKey("LEAD-7").build()).created())
        .isTrue();
  }

  @Test
  void anIdempotencyKeyReusedForADifferentCallIsAConflict() {
    records.create(outbound("+14155550123").idempotencyKey("lead-7").build());
    assertThatThrownBy(
            () -> records.create(outbound("+14155550999").idempotencyKey("lead-7").build()))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("lead-7");
    assertThat(count("call_record")).isEqualTo(1);
  }

  @Test
  void concurrentCreatesWithOneKeyWriteOneRow() throws Exception {
    List<Callable<CreatedCall>> attempts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      attempts.add(() -> records.create(outbound("+14155550123").idempotencyKey("race").build()));
    }
    List<CreatedCall> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<CreatedCall> result : pool.invokeAll(attempts)) {
        results.add(result.get());
      }
    }
    assertThat(results).extracting(CreatedCall::id).containsOnly(results.getFirst().id());
    assertThat(results).filteredOn(CreatedCall::created).hasSize(1);
    assertThat(count("call_record")).isEqualTo(1);
  }

  @Test
  void anInboundWebhookRetriedWithTheSameCallSidCreatesOneCall() {
    NewCall inbound =
        NewCall.builder(CallDirection.INBOUND, "+919812345678", "+14155550100")
            .agent(AGENT, CallFixtures.SNAPSHOT)
            .status(CallStatus.RINGING)
            .callSid("CA0123456789abcdef0123456789abcdef")
            .build();
    CreatedCall first = records.create(inbound);
    CreatedCall retried = records.create(inbound);

    assertThat(retried).isEqualTo(new CreatedCall(first.id(), false));
    assertThat(records.findByCallSid("CA0123456789abcdef0123456789abcdef"))
        .map(CallRecord::id)
        .contains(first.id());
  }

  @Test
  void theAttemptIsCommittedEvenWhenTheCallerTransactionRollsBack() {
    UUID id =
        transactions.execute(
            status -> {
              UUID created = records.create(outbound("+14155550123").build()).id();
              status.setRollbackOnly();
              return created;
            });
    assertThat(records.find(id)).isPresent();
  }

  @Test
  void anInboundCallToANumberNoAgentAnswersIsRecordedWithoutAnAgent() {
    UUID id =
        records
            .create(
                NewCall.builder(CallDirection.INBOUND, "anonymous", "+14155550199")
                    .status(CallStatus.RINGING)
                    .callSid("CAunknownnumber")
                    .build())
            .id();
    assertThat(records.finish(id, CallOutcome.REJECTED, "no agent answers +14155550199", T0))
        .isTrue();
    CallRecord call = records.find(id).orElseThrow();
    assertThat(call.agentId()).isNull();
    assertThat(call.outcome()).isEqualTo(CallOutcome.REJECTED);
    assertThat(call.endedAt()).isEqualTo(T0);
  }

  @Test
  void badNewCallsAreRefusedByFieldAndWriteNothing() {
    assertThatThrownBy(() -> NewCall.builder(null, " ", null).idempotencyKey("a b").build())
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.fieldErrors())
                    .containsOnlyKeys("direction", "from", "to", "idempotencyKey"));
    assertThatThrownBy(
            () -> records.create(outbound("+14155550123").leadVariables("[1, 2]").build()))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.fieldErrors()).containsKey("leadVariables"));
    assertThatThrownBy(
            () -> records.create(outbound("+14155550123").agent(UUID.randomUUID(), "{}").build()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.fieldErrors()).containsKey("agentId"));
    assertThat(count("call_record")).isZero();
  }

  @Test
  void attachingTheCallSidIsIdempotentAndASecondSidIsAConflict() {
    UUID id = records.create(outbound("+14155550123").build()).id();
    UUID other = records.create(outbound("+14155550124").build()).id();
    records.attachCallSid(id, "CA1");
    records.attachCallSid(id, "CA1");

    assertThat(records.findByCallSid("CA1")).map(CallRecord::id).contains(id);
    assertThatThrownBy(() -> records.attachCallSid(id, "CA2"))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> records.attachCallSid(other, "CA1"))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> records.attachCallSid(UUID.randomUUID(), "CA3"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void shuffledDuplicatedCallbacksNeverMoveACallBackwardsAndEndInOneState() {
    List<StatusUpdate> callbacks =
        List.of(
            StatusUpdate.of(CallStatus.INITIATED, T0),
            StatusUpdate.of(CallStatus.RINGING, T0.plusMillis(1500)),
            StatusUpdate.of(CallStatus.IN_PROGRESS, T0.plusSeconds(6)),
            StatusUpdate.of(CallStatus.IN_PROGRESS, T0.plusSeconds(6)),
            new StatusUpdate(CallStatus.COMPLETED, T0.plusSeconds(66), 60),
            new StatusUpdate(CallStatus.COMPLETED, T0.plusSeconds(66), 60));
    Random random = new Random(20261125);
    for (int round = 0; round < 25; round++) {
      List<StatusUpdate> order = new ArrayList<>(callbacks);
      Collections.shuffle(order, random);
      UUID id = records.create(outbound("+14155550123").build()).id();
      int rank = CallStatus.QUEUED.rank();
      for (StatusUpdate callback : order) {
        records.applyStatus(id, callback);
        int now = records.find(id).orElseThrow().status().rank();
        assertThat(now).as("order %s", order).isGreaterThanOrEqualTo(rank);
        rank = now;
      }
      CallRecord call = records.find(id).orElseThrow();
      assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
      assertThat(call.startedAt()).isEqualTo(T0);
      assertThat(call.answeredAt()).isEqualTo(T0.plusSeconds(6));
      assertThat(call.endedAt()).isEqualTo(T0.plusSeconds(66));
      assertThat(call.durationSeconds()).isEqualTo(60);
      assertThat(events.stream(CallEnded.class).filter(e -> e.callId().equals(id))).hasSize(1);
    }
    assertThat(count("call_record")).isEqualTo(25);
  }

  @Test
  void concurrentCallbacksForOneCallAreAppliedOneAfterTheOther() throws Exception {
    List<StatusUpdate> callbacks = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      callbacks.add(StatusUpdate.of(CallStatus.INITIATED, T0));
      callbacks.add(StatusUpdate.of(CallStatus.RINGING, T0.plusSeconds(1)));
      callbacks.add(StatusUpdate.of(CallStatus.IN_PROGRESS, T0.plusSeconds(4)));
      callbacks.add(new StatusUpdate(CallStatus.COMPLETED, T0.plusSeconds(24), 20));
    }
    for (int round = 0; round < 5; round++) {
      UUID id = records.create(outbound("+14155550123").build()).id();
      Collections.shuffle(callbacks, new Random(round));
      List<Callable<StatusChange>> deliveries =
          callbacks.stream()
              .<Callable<StatusChange>>map(c -> () -> records.applyStatus(id, c))
              .toList();
      List<StatusChange> changes = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
        for (Future<StatusChange> change : pool.invokeAll(deliveries)) {
          changes.add(change.get());
        }
      }
      CallRecord call = records.find(id).orElseThrow();
      assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
      assertThat(call.startedAt()).isEqualTo(T0);
      assertThat(call.answeredAt()).isEqualTo(T0.plusSeconds(4));
      assertThat(call.endedAt()).isEqualTo(T0.plusSeconds(24));
      assertThat(call.durationSeconds()).isEqualTo(20);
      // Each move is seen by exactly one delivery, and every move goes forward.
      assertThat(changes)
          .filteredOn(StatusChange::moved)
          .allSatisfy(c -> assertThat(c.after().rank()).isGreaterThan(c.before().rank()));
      assertThat(changes)
          .filteredOn(c -> c.moved() && c.after() == CallStatus.COMPLETED)
          .hasSize(1);
      assertThat(ended.events).filteredOn(e -> e.callId().equals(id)).hasSize(1);
    }
  }

  @Test
  void aCallThatNeverConnectedIsDisposedWithTheCarrierResultOnce() {
    UUID id = records.create(outbound("+14155550123").build()).id();
    records.applyStatus(id, StatusUpdate.of(CallStatus.RINGING, T0));
    StatusChange change =
        records.applyStatus(id, new StatusUpdate(CallStatus.NO_ANSWER, T0.plusSeconds(30), 0));
    StatusChange duplicate =
        records.applyStatus(id, new StatusUpdate(CallStatus.NO_ANSWER, T0.plusSeconds(30), 0));

    assertThat(change).isEqualTo(new StatusChange(CallStatus.RINGING, CallStatus.NO_ANSWER, true));
    assertThat(duplicate.moved()).isFalse();
    CallRecord call = records.find(id).orElseThrow();
    assertThat(call.outcome()).isEqualTo(CallOutcome.NO_ANSWER);
    assertThat(call.outcomeReason()).isEqualTo("carrier reported no_answer");
    assertThat(events.stream(CallDispositioned.class)).hasSize(1);
    assertThat(events.stream(CallEnded.class))
        .singleElement()
        .satisfies(e -> assertThat(e.outcome()).isEqualTo(CallOutcome.NO_ANSWER));
    assertThat(events.stream(CallStatusChanged.class)).hasSize(2);
  }

  @Test
  void theFirstOutcomeStaysAndFinishingFillsTheEnd() {
    UUID id = records.create(outbound("+14155550123").build()).id();
    records.applyStatus(id, StatusUpdate.of(CallStatus.IN_PROGRESS, T0));
    assertThat(records.setAnsweredBy(id, "human")).isTrue();
    assertThat(records.setAnsweredBy(id, "machine_start")).isFalse();
    assertThat(records.setOutcome(id, CallOutcome.OPTED_OUT, "caller asked to stop")).isTrue();
    assertThat(records.finish(id, CallOutcome.COMPLETED, "end_call", T0.plusSeconds(30))).isFalse();
    records.applyStatus(id, StatusUpdate.of(CallStatus.COMPLETED, T0.plusSeconds(31)));

    CallRecord call = records.find(id).orElseThrow();
    assertThat(call.answeredBy()).isEqualTo("human");
    assertThat(call.outcome()).isEqualTo(CallOutcome.OPTED_OUT);
    assertThat(call.outcomeReason()).isEqualTo("caller asked to stop");
    assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
    assertThat(call.endedAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(call.durationSeconds()).isEqualTo(30);
    assertThat(events.stream(CallDispositioned.class)).hasSize(1);
    assertThatThrownBy(() -> records.setAnsweredBy(id, "Robot!"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void theEndOfAMachinesGreetingReplacesMachineStartAndTheVoicemailMessageIsKept() {
    UUID id =
        records
            .create(outbound("+14155550123").voicemail("Bella's Bistro, call us back.").build())
            .id();
    assertThat(records.setAnsweredBy(id, "machine_start")).isTrue();
    assertThat(records.setAnsweredBy(id, "human")).isFalse();
    assertThat(records.setAnsweredBy(id, "machine_end_beep")).isTrue();
    assertThat(records.setAnsweredBy(id, "machine_end_silence")).isFalse();

    CallRecord call = records.find(id).orElseThrow();
    assertThat(call.answeredBy()).isEqualTo("machine_end_beep");
    assertThat(call.voicemailMessage()).isEqualTo("Bella's Bistro, call us back.");
    assertThatThrownBy(() -> outbound("+14155550123").voicemail(" ").build())
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void segmentsAreNumberedInOrderAndHindiSurvivesTheRoundTrip() {
    UUID id = records.create(outbound("+919812345678").build()).id();
    String hindi = "नमस्ते! मैं सिटी क्लिनिक से आशा बोल रही हूँ। क्या आप कल 10 बजे आ सकते हैं?";
    assertThat(
            records.appendSegment(id, new NewSegment(SegmentRole.AGENT, hindi, 0L, 4200L, false)))
        .isEqualTo(1);
    assertThat(
            records.appendSegment(
                id, new NewSegment(SegmentRole.CALLER, "हाँ, ज़रूर 🙂", 4500L, 5600L, false)))
        .isEqualTo(2);
    assertThat(
            records.appendSegment(
                id, new NewSegment(SegmentRole.AGENT, "बहुत अच्छा", 5900L, 6300L, true)))
        .isEqualTo(3);

    List<String> texts =
        jdbc.sql("SELECT text FROM transcript_segment WHERE call_id = :id ORDER BY seq")
            .param("id", id)
            .query(String.class)
            .list();
    assertThat(texts).containsExactly(hindi, "हाँ, ज़रूर 🙂", "बहुत अच्छा");
    assertThat(events.stream(TranscriptSegmentAdded.class))
        .extracting(TranscriptSegmentAdded::seq)
        .containsExactly(1, 2, 3);
  }

  @Test
  void concurrentAppendsGetDistinctConsecutiveNumbers() throws Exception {
    UUID id = records.create(outbound("+14155550123").build()).id();
    List<Callable<Integer>> appends = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      int n = i;
      appends.add(() -> records.appendSegment(id, NewSegment.of(SegmentRole.CALLER, "word " + n)));
    }
    List<Integer> numbers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      for (Future<Integer> number : pool.invokeAll(appends)) {
        numbers.add(number.get());
      }
    }
    assertThat(numbers).containsExactlyInAnyOrderElementsOf(range(1, 24));
    assertThat(count("transcript_segment")).isEqualTo(24);
  }

  @Test
  void toolInvocationsTurnsAnswersAndRecordingsAreStored() {
    UUID id = records.create(outbound("+14155550123").build()).id();
    Instant started = T0.plusSeconds(12);
    assertThat(
            records.appendToolInvocation(
                id,
                new NewToolInvocation(
                    "record_answer",
                    "call_1",
                    "{\"confirmed\": true}",
                    "{\"ok\": true}",
                    ToolStatus.OK,
                    started,
                    14L)))
        .isEqualTo(1);
    assertThat(
            records.appendToolInvocation(
                id,
                new NewToolInvocation(
                    "transfer_call",
                    null,
                    "{\"target\": \"nurse\"}",
                    "{\"error\": \"no such target\"}",
                    ToolStatus.ERROR,
                    started,
                    null)))
        .isEqualTo(2);
    TurnTimings turn =
        new TurnTimings(
            T0,
            T0.plusMillis(120),
            T0.plusMillis(130),
            T0.plusMillis(420),
            T0.plusMillis(510),
            T0.plusMillis(690),
            T0.plusMillis(700),
            false);
    assertThat(records.appendTurn(id, turn)).isEqualTo(1);
    assertThat(
            records.appendTurn(id, new TurnTimings(null, null, null, null, null, null, null, true)))
        .isEqualTo(2);
    records.recordAnswer(id, "{\"confirmed\": true, \"slot\": \"10:00\"}");
    records.recordAnswer(id, "{\"slot\": \"11:30\", \"note\": \"देर से\"}");
    Recording recording = new Recording("RE123", "https://api.twilio.com/rec/RE123", 61);
    records.recordRecording(id, recording);
    records.recordRecording(id, recording);

    CallRecord call = records.find(id).orElseThrow();
    assertThat(call.recording()).isEqualTo(recording);
    assertThat(call.extractedDataJson())
        .contains("\"confirmed\"", "11:30", "देर से")
        .doesNotContain("10:00");
    assertThatThrownBy(
            () ->
                records.appendToolInvocation(
                    id,
                    new NewToolInvocation(
                        "end_call", null, "{not json", null, ToolStatus.OK, started, null)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.fieldErrors()).containsKey("arguments"));
    assertThatThrownBy(() -> records.recordAnswer(id, "\"text\""))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> records.appendTurn(UUID.randomUUID(), turn))
        .isInstanceOf(NotFoundException.class);
    assertThat(count("call_tool_invocation")).isEqualTo(2);
  }

  @Test
  void unfinishedListsCallsWithoutAFinalStatusOldestFirst() {
    UUID answered = records.create(outbound("+14155550123").build()).id();
    records.applyStatus(answered, StatusUpdate.of(CallStatus.IN_PROGRESS, T0));
    UUID queued = records.create(outbound("+14155550124").agent(OTHER_AGENT, null).build()).id();
    UUID done = records.create(outbound("+14155550125").build()).id();
    records.applyStatus(done, StatusUpdate.of(CallStatus.BUSY, T0));

    Instant later = Instant.now().plus(1, ChronoUnit.MINUTES);
    assertThat(records.unfinished(later, 10))
        .extracting(CallRecord::id)
        .containsExactly(answered, queued);
    assertThat(records.unfinished(later, 1)).hasSize(1);
    assertThat(records.unfinished(T0, 10)).isEmpty();
  }

  private long count(String table) {
    return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> numbers = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      numbers.add(i);
    }
    return numbers;
  }
}
