/**
 * The Twilio edge: signed webhooks, TwiML, call control and the Media Streams socket. It knows
 * nothing about AI; it hands calls and streams to interfaces it defines. Call status, recording and
 * answering-machine callbacks are written through {@link io.parley.calls.CallRecords}; agents'
 * numbers are pointed at Parley when {@link io.parley.agents.AgentEvent.AgentSaved} is committed,
 * and listed with their agents by {@code GET /api/numbers}. Recording media is fetched from Twilio
 * for {@link io.parley.calls.RecordingAudio}. Text messages go out through {@link
 * io.parley.sms.TextCarrier} (Twilio's Messages resource) and their webhooks ({@code /twilio/sms},
 * {@code /twilio/sms-status}) are handed to {@link io.parley.sms.TextWebhooks}.
 */
@ApplicationModule(
    allowedDependencies = {
      "shared",
      "calls",
      "agents",
      "providers",
      "prompts",
      "sms",
      "media",
      "nodes",
      "database"
    })
package io.parley.telephony;

import org.springframework.modulith.ApplicationModule;
