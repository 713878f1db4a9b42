package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcSampleTest {

  @Test
  void readsThisProcessFromProc() throws Exception {
    ProcSample before = ProcSample.of(ProcessHandle.current().pid());
    long spin = 0;
    for (long end = System.nanoTime() + 50_000_000; System.nanoTime() < end; ) {
      spin++;
    }
    ProcSample after = ProcSample.of(ProcessHandle.current().pid());
    ProcSample d = after.minus(before);
    assertThat(spin).isPositive();
    assertThat(after.cpuSeconds()).isPositive();
    assertThat(after.contextSwitches()).isPositive();
    assertThat(d.seconds()).isPositive();
    assertThat(d.cpuSeconds()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void machineSamplesCountOtherProcessesOnly() {
    MachineSample before = MachineSample.of(ProcessHandle.current().pid(), null);
    MachineSample after = MachineSample.of(ProcessHandle.current().pid(), null);
    assertThat(after.busySeconds()).isPositive();
    assertThat(after.ownSeconds()).isPositive();
    assertThat(after.othersCoresSince(before)).isGreaterThanOrEqualTo(0);
  }

  @Test
  void tellsCollectorAndCompilerThreadsByName() {
    assertThat(ProcSample.isGc("ZWorkerYoung#0")).isTrue();
    assertThat(ProcSample.isGc("ZDirector")).isTrue();
    assertThat(ProcSample.isGc("G1 Conc#0")).isTrue();
    assertThat(ProcSample.isJit("C2 CompilerThre")).isTrue();
    assertThat(ProcSample.isGc("ForkJoinPool-1-worker-1")).isFalse();
    assertThat(ProcSample.isJit("http-nio-8080-exec-1")).isFalse();
  }
}
