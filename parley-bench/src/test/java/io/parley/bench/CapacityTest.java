package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CapacityTest {
  private static Sim sim;

  @BeforeAll
  static void start() {
    sim = Sim.start(SimConfig.defaults());
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static StepResult step(int calls, double addedP99, double lateness, int completed) {
    return Steps.step(sim, calls, completed, List.of(5.0, addedP99), lateness, 30, 25);
  }

  @Test
  void theLastStepWithinThirtyMillisecondsIsTheCapacity() {
    Capacity c =
        Capacity.of(List.of(step(25, 12, 1, 25), step(50, 29, 1, 50), step(75, 45, 1, 75)));
    assertThat(c.lastGood()).isEqualTo(50);
    assertThat(c.stoppedAt()).isEqualTo(75);
    assertThat(c.stopped()).isTrue();
    assertThat(c.lowerBound()).isFalse();
    assertThat(c.reason()).contains("added latency p99 45.0 ms > 30 ms at 75 calls");
    assertThat(c.json().path("calls").asInt()).isEqualTo(50);
  }

  @Test
  void whenTheFirstStepFailsTheCapacityIsBelowIt() {
    Capacity c = Capacity.of(List.of(step(25, 65, 1, 25)));
    assertThat(c.lastGood()).isZero();
    assertThat(c.summary()).startsWith("capacity: below 25 concurrent calls");
  }

  @Test
  void aFailedCallEndsTheSearch() {
    Capacity c = Capacity.of(List.of(step(25, 12, 1, 25), step(50, 12, 1, 49)));
    assertThat(c.lastGood()).isEqualTo(25);
    assertThat(c.reason()).contains("1 of 50 calls failed");
  }

  @Test
  void aLateInstrumentLeavesOnlyALowerBound() {
    Capacity c = Capacity.of(List.of(step(25, 12, 1, 25), step(50, 12, 7.5, 50)));
    assertThat(c.lastGood()).isEqualTo(25);
    assertThat(c.stoppedAt()).isEqualTo(50);
    assertThat(c.lowerBound()).isTrue();
    assertThat(c.summary()).startsWith("capacity: at least 25");
  }

  @Test
  void whileEveryStepHoldsTheSearchGoesOn() {
    Capacity c = Capacity.of(List.of(step(25, 12, 1, 25)));
    assertThat(c.stopped()).isFalse();
    assertThat(c.lastGood()).isEqualTo(25);
  }

  @Test
  void netCpuSubtractsTheIdleRate() {
    // 30 CPU-s over 60 s, idle 0.05 CPU-s/s: 27 CPU-s net over 25 call-minutes
    StepResult s = step(25, 12, 1, 25);
    assertThat(s.cost.netCpuSeconds()).isCloseTo(27.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.netCpuPerCallMinute()).isCloseTo(1.08, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.cost.contextSwitchesPerSecond()).isEqualTo(1000.0);
    assertThat(s.instrumentCpuPerCallMinute())
        .isCloseTo(0.24, org.assertj.core.data.Offset.offset(1e-9));
  }
}
