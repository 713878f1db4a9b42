package io.parley.bench;

import tools.jackson.databind.node.ObjectNode;

/**
 * What a step cost the server: its CPU during the step less what it spends idle (measured just
 * before the step, with no call up), context switches, garbage collection and JIT compilation.
 *
 * @param idle the server's counters over a quiet window just before the step (a difference)
 * @param step its counters from the first call placed until the last call ended (a difference)
 * @param gcPauseSeconds the collector's pauses during the step ({@code jvm_gc_pause_seconds})
 * @param gcConcurrentSeconds its concurrent phases during the step ({@code
 *     jvm_gc_concurrent_phase_time_seconds}, ZGC's cycles run beside the application)
 */
record ServerCost(
    ProcSample idle, ProcSample step, double gcPauseSeconds, double gcConcurrentSeconds) {

  /** CPU seconds per second the idle server used. */
  double idleCpuPerSecond() {
    return idle.seconds() > 0 ? idle.cpuSeconds() / idle.seconds() : Double.NaN;
  }

  /** The step's CPU less what the idle server would have used over the same time. */
  double netCpuSeconds() {
    return step.cpuSeconds() - idleCpuPerSecond() * step.seconds();
  }

  /** Net CPU seconds per call-minute. */
  double netCpuPerCallMinute(double callMinutes) {
    return callMinutes > 0 ? netCpuSeconds() / callMinutes : Double.NaN;
  }

  double contextSwitchesPerSecond() {
    return step.seconds() > 0 ? step.contextSwitches() / step.seconds() : Double.NaN;
  }

  double idleContextSwitchesPerSecond() {
    return idle.seconds() > 0 ? idle.contextSwitches() / idle.seconds() : Double.NaN;
  }

  void putInto(ObjectNode cost, double callMinutes) {
    Stats.put(cost, "stepSeconds", step.seconds());
    Stats.put(cost, "idleCpuPerSecond", idleCpuPerSecond());
    Stats.put(cost, "idleWindowSeconds", idle.seconds());
    Stats.put(cost, "serverNetCpuSeconds", netCpuSeconds());
    Stats.put(cost, "serverNetCpuSecondsPerCallMinute", netCpuPerCallMinute(callMinutes));
    Stats.put(cost, "serverContextSwitchesPerSecond", contextSwitchesPerSecond());
    Stats.put(cost, "serverIdleContextSwitchesPerSecond", idleContextSwitchesPerSecond());
    Stats.put(cost, "serverGcCpuSeconds", step.gcCpuSeconds());
    Stats.put(cost, "serverJitCpuSeconds", step.jitCpuSeconds());
    Stats.put(cost, "serverGcPauseSeconds", gcPauseSeconds);
    Stats.put(cost, "serverGcConcurrentSeconds", gcConcurrentSeconds);
  }
}
