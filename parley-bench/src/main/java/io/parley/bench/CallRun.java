package io.parley.bench;

import io.parley.sim.CallHandle;

/**
 * One simulated call of a step: its index (which gives its code), the turn-taking rule of the agent
 * it called, the sim's handle, whether the caller's script ran to its end, and how long the call
 * lasted on the bench's clock.
 */
record CallRun(
    int index,
    String code,
    BargeInMode mode,
    CallHandle handle,
    boolean completed,
    double seconds) {}
