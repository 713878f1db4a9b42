package io.parley.bench;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The capacity search ({@code --find-capacity}): concurrency rises along {@link #LADDER} until a
 * step's added latency p99 exceeds {@value StepResult#CAPACITY_MAX_ADDED_P99_MS} ms or a call
 * fails; the capacity is the last step that held. A step where the instrument itself was late (not
 * valid) also ends the search: beyond it nothing can be said, so the capacity is then a lower
 * bound.
 *
 * @param lastGood the highest step that held its calls (0: none did)
 * @param stoppedAt the step that ended the search, or 0 when the whole ladder held
 * @param reason why the search ended
 * @param lowerBound true when the search ended without a step that failed (the instrument was late,
 *     or the ladder ran out): the capacity is at least {@code lastGood}
 */
record Capacity(
    List<Integer> ladder, int lastGood, int stoppedAt, String reason, boolean lowerBound) {

  static final List<Integer> LADDER = List.of(25, 50, 75, 100, 150, 200);

  /** The verdict over the steps so far (in ladder order). */
  static Capacity of(List<StepResult> steps) {
    int lastGood = 0;
    for (StepResult s : steps) {
      if (!s.valid()) {
        return new Capacity(
            LADDER,
            lastGood,
            s.calls,
            "the instrument was late at %d calls (send lateness p99 %.1f ms > %.0f ms)"
                .formatted(s.calls, s.simLateness.p99(), StepResult.MAX_SIM_LATENESS_MS),
            true);
      }
      if (!s.holdsCalls()) {
        String why =
            s.completed < s.placed
                ? "%d of %d calls failed".formatted(s.placed - s.completed, s.placed)
                : "added latency p99 %.1f ms > %.0f ms"
                    .formatted(s.added().p99(), StepResult.CAPACITY_MAX_ADDED_P99_MS);
        return new Capacity(LADDER, lastGood, s.calls, why + " at " + s.calls + " calls", false);
      }
      lastGood = s.calls;
    }
    boolean done = steps.size() >= LADDER.size();
    return new Capacity(
        LADDER, lastGood, 0, done ? "every step of the ladder held" : "searching", done);
  }

  /** True once the search has its answer. */
  boolean stopped() {
    return stoppedAt != 0;
  }

  String summary() {
    if (lastGood == 0 && !lowerBound) {
      return "capacity: below " + ladder.getFirst() + " concurrent calls (" + reason + ")";
    }
    return "capacity: "
        + (lowerBound ? "at least " : "")
        + lastGood
        + " concurrent calls ("
        + reason
        + ")";
  }

  ObjectNode json() {
    ObjectNode o = ParleyApi.JSON.createObjectNode();
    ArrayNode l = o.putArray("ladder");
    ladder.forEach(l::add);
    o.put("maxAddedLatencyP99Ms", StepResult.CAPACITY_MAX_ADDED_P99_MS);
    o.put("calls", lastGood);
    o.put("lowerBound", lowerBound);
    if (stoppedAt != 0) {
      o.put("stoppedAt", stoppedAt);
    } else {
      o.putNull("stoppedAt");
    }
    o.put("reason", reason);
    return o;
  }
}
