package io.parley.bench;

import io.parley.sim.Sim;
import java.util.List;

/** Step results made up for the bookkeeping tests: only latency, lateness and CPU are set. */
final class Steps {
  private Steps() {}

  static StepResult step(
      Sim sim,
      int calls,
      int completed,
      List<Double> added,
      double latenessP99Ms,
      double serverCpuSeconds,
      double callMinutes) {
    Measurements m = new Measurements(sim, new Scenario(true));
    m.added.addAll(added);
    ProcSample idle = new ProcSample(10_000_000_000L, 0.5, 1000, 0, 0);
    ProcSample during = new ProcSample(60_000_000_000L, serverCpuSeconds, 60_000, 1.0, 2.0);
    return new StepResult(
        calls,
        calls,
        completed,
        m,
        serverCpuSeconds,
        callMinutes,
        5.0,
        100_000,
        1 << 30,
        new Stats(1000, 0.2, 0.5, latenessP99Ms, latenessP99Ms + 1),
        new ConnectionCounts(0, 0, 0, 0, 0),
        new ServerCost(idle, during, 0.001, 0.5),
        new ProcSample(60_000_000_000L, 6.0, 30_000, 0.2, 0.1),
        0.05,
        false);
  }
}
