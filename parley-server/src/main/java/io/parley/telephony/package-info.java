/**
 * The Twilio edge: signed webhooks, TwiML, call control and the Media Streams socket. It knows
 * nothing about AI; it hands calls and streams to interfaces it defines. Call status, recording and
 * answering-machine callbacks are written through {@link io.parley.calls.CallRecords}; agents'
 * numbers are pointed at Parley when {@link io.parley.agents.AgentEvent.AgentSaved} is committed,
 * and listed with their agents by {@code GET /api/numbers}. Recording media is fetched from Twilio
 * for {@link io.parley.calls.RecordingAudio}.
 */
@ApplicationModule(
    allowedDependencies = {
      "shared",
      "calls",
      "agents",
      "providers",
      "prompts",
      "media",
      "nodes",
      "database"
    })
package io.parley.telephony;

import org.springframework.modulith.ApplicationModule;
