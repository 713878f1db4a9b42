package io.parley.dialing;

import io.parley.compliance.DialCheck;
import java.util.Map;
import java.util.UUID;

/**
 * One dial of a campaign's lead, placed on the same path as a manual call (compliance gate, prompt,
 * node capacity, attempt row first, then Twilio).
 *
 * @param campaignId the campaign
 * @param leadId the lead
 * @param agentId the agent that speaks
 * @param promptVersion the pinned prompt version, or null for the agent's current one
 * @param callerId the number to call from, or null for the agent's own
 * @param to the lead's number (E.164)
 * @param variables the lead's values for the prompt
 * @param amdMode {@code off}, {@code enable} or {@code detect_message_end}
 * @param ringTimeoutSeconds how long to ring
 * @param check what the compliance gate checks (zone, consent, attempts)
 * @param idempotencyKey one per lead attempt, so a repeated dial returns the same call
 * @param safeHarbourMessage what a drop hears (the campaign's message), or null
 * @param voicemailMessage what a machine hears after its beep (the campaign's message, which wins
 *     over the agent's), or null for the agent's
 * @param voicemailRecording the name of the campaign's voicemail recording, which a machine hears
 *     after its beep instead of any text, or null when the campaign has none
 */
public record LeadDial(
    UUID campaignId,
    UUID leadId,
    UUID agentId,
    Integer promptVersion,
    String callerId,
    String to,
    Map<String, String> variables,
    String amdMode,
    int ringTimeoutSeconds,
    DialCheck check,
    String idempotencyKey,
    String safeHarbourMessage,
    String voicemailMessage,
    String voicemailRecording) {

  public LeadDial {
    variables = Map.copyOf(variables);
  }
}
