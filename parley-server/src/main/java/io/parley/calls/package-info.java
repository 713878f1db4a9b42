/**
 * Call records: one row per attempt with its carrier status, disposition, recording, transcript
 * segments, tool invocations and per-turn timings, and the read-only history API. Telephony and the
 * conversation engine write through {@link io.parley.calls.CallRecords}; facts leave as record
 * events ({@link io.parley.calls.CallEvent}). The live calls stream ({@code GET
 * /api/calls/live/events}) is opened with a ticket ({@link io.parley.tickets.Tickets}). Recordings
 * are played through signed links ({@link io.parley.auth.SigningKeys}); their audio comes through
 * {@link io.parley.calls.RecordingAudio}, which telephony implements (it depends on this module).
 */
@ApplicationModule(allowedDependencies = {"shared", "auth", "nodes", "tickets", "database", "jobs"})
package io.parley.calls;

import org.springframework.modulith.ApplicationModule;
