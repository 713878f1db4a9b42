/**
 * Call records: one row per attempt with its carrier status, disposition, recording, transcript
 * segments, tool invocations and per-turn timings, and the read-only history API. Telephony and the
 * conversation engine write through {@link io.parley.calls.CallRecords}; facts leave as record
 * events ({@link io.parley.calls.CallEvent}).
 */
@ApplicationModule(allowedDependencies = {"shared", "nodes"})
package io.parley.calls;

import org.springframework.modulith.ApplicationModule;
