package io.parley.bench;

import tools.jackson.databind.node.ObjectNode;

/**
 * The server's first minute: how long it took to answer its health check, the CPU it had used by
 * then, and a step of calls placed right after the agents were set up, before any warm-up.
 *
 * @param upAfterSeconds from launching the server's JVM until {@code /actuator/health} answered
 * @param cpuAtUpSeconds the server's CPU seconds by then (start-up, mostly class loading and JIT)
 * @param firstCallAfterSeconds from launching the server until its first measured call
 */
record ColdStart(
    double upAfterSeconds, double cpuAtUpSeconds, double firstCallAfterSeconds, StepResult step) {

  ObjectNode json() {
    ObjectNode o = ParleyApi.JSON.createObjectNode();
    Stats.put(o, "upAfterSeconds", upAfterSeconds);
    Stats.put(o, "cpuAtUpSeconds", cpuAtUpSeconds);
    Stats.put(o, "firstCallAfterSeconds", firstCallAfterSeconds);
    o.set("step", step.json());
    return o;
  }
}
