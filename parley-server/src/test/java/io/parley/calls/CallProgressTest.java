package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge rule on its own: every order of the same reports ends in the same state. */
class CallProgressTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final CallProgress QUEUED =
      new CallProgress(CallStatus.QUEUED, null, null, null, null);

  @Test
  void advancesThroughTheLifeCycleAndRecordsEachStageTime() {
    CallProgress p =
        QUEUED
            .apply(StatusUpdate.of(CallStatus.INITIATED, T0))
            .apply(StatusUpdate.of(CallStatus.RINGING, T0.plusSeconds(1)))
            .apply(StatusUpdate.of(CallStatus.IN_PROGRESS, T0.plusSeconds(5)))
            .apply(new StatusUpdate(CallStatus.COMPLETED, T0.plusSeconds(65), 60));
    assertThat(p)
        .isEqualTo(
            new CallProgress(CallStatus.COMPLETED, T0, T0.plusSeconds(5), T0.plusSeconds(65), 60));
  }

  @Test
  void aLateReportDoesNotMoveTheCallBackButFillsItsMissingTime() {
    CallProgress ended =
        QUEUED.apply(new StatusUpdate(CallStatus.COMPLETED, T0.plusSeconds(65), 60));
    CallProgress late = ended.apply(StatusUpdate.of(CallStatus.IN_PROGRESS, T0.plusSeconds(5)));
    assertThat(late.status()).isEqualTo(CallStatus.COMPLETED);
    assertThat(late.answeredAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(late.endedAt()).isEqualTo(T0.plusSeconds(65));
  }

  @Test
  void theFirstFinalStatusWinsAndALosersDurationIsIgnored() {
    CallProgress busy = QUEUED.apply(new StatusUpdate(CallStatus.BUSY, T0.plusSeconds(3), 0));
    CallProgress then = busy.apply(new StatusUpdate(CallStatus.COMPLETED, T0.plusSeconds(9), 7));
    assertThat(then.status()).isEqualTo(CallStatus.BUSY);
    assertThat(then.durationSeconds()).isZero();
    assertThat(then.endedAt()).isEqualTo(T0.plusSeconds(3));
  }

  @Test
  void everyOrderOfTheSameReportsEndsInTheSameState() {
    List<StatusUpdate> reports =
        List.of(
            StatusUpdate.of(CallStatus.INITIATED, T0),
            StatusUpdate.of(CallStatus.RINGING, T0.plusSeconds(2)),
            StatusUpdate.of(CallStatus.RINGING, T0.plusSeconds(2)),
            StatusUpdate.of(CallStatus.IN_PROGRESS, T0.plusSeconds(6)),
            new StatusUpdate(CallStatus.COMPLETED, T0.plusSeconds(40), 34),
            new StatusUpdate(CallStatus.COMPLETED, T0.plusSeconds(40), 34));
    CallProgress expected =
        new CallProgress(CallStatus.COMPLETED, T0, T0.plusSeconds(6), T0.plusSeconds(40), 34);
    List<List<StatusUpdate>> orders = permutations(reports);
    assertThat(orders).hasSize(720);
    for (List<StatusUpdate> order : orders) {
      CallProgress p = QUEUED;
      for (StatusUpdate report : order) {
        CallProgress next = p.apply(report);
        assertThat(next.status().rank()).isGreaterThanOrEqualTo(p.status().rank());
        p = next;
      }
      assertThat(p).as("order %s", order).isEqualTo(expected);
    }
  }

  @Test
  void finishingKeepsAnEarlierCarrierEndAndEstimatesTheDurationFromTheAnswer() {
    CallProgress answered = QUEUED.apply(StatusUpdate.of(CallStatus.IN_PROGRESS, T0));
    CallProgress finished = answered.finish(T0.plusSeconds(42));
    assertThat(finished.endedAt()).isEqualTo(T0.plusSeconds(42));
    assertThat(finished.durationSeconds()).isEqualTo(42);
    assertThat(finished.status()).isEqualTo(CallStatus.IN_PROGRESS);

    CallProgress carrier =
        finished.apply(new StatusUpdate(CallStatus.COMPLETED, T0.plusSeconds(41), 41));
    assertThat(carrier.endedAt()).isEqualTo(T0.plusSeconds(41));
    assertThat(carrier.durationSeconds())
        .as("the carrier's duration is authoritative")
        .isEqualTo(41);
  }

  private static <T> List<List<T>> permutations(List<T> items) {
    if (items.isEmpty()) {
      return List.of(List.of());
    }
    List<List<T>> all = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<T> rest = new ArrayList<>(items);
      T head = rest.remove(i);
      for (List<T> tail : permutations(rest)) {
        List<T> order = new ArrayList<>();
        order.add(head);
        order.addAll(tail);
        all.add(order);
      }
    }
    return all;
  }
}
