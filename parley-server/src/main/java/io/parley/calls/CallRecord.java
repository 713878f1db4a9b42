package io.parley.calls;

import io.parley.shared.Actor;
import java.time.Instant;
import java.util.UUID;

/**
 * A call as stored, without its transcript, tool invocations and turns. JSON stays as text.
 *
 * @param nodeId the node that holds the call ({@code PARLEY_NODE_ID}): the one that created or
 *     answered it, then the one its media stream reached; null for calls older than nodes
 * @param campaignId the campaign the call is an attempt of, or null
 * @param safeHarbourMessage what a drop hears (campaign attempts), or null
 * @param voicemailMessage what the agent leaves on an answering machine after its beep, or null
 * @param voicemailRecording the name of the campaign's voicemail recording the call plays after the
 *     beep instead of {@code voicemailMessage}, or null
 * @param abandoned whether the call counts as a drop in its campaign's abandonment rate
 */
public record CallRecord(
    UUID id,
    UUID organisationId,
    UUID agentId,
    String agentSnapshotJson,
    String agentName,
    UUID promptId,
    Integer promptVersion,
    CallDirection direction,
    String fromNumber,
    String toNumber,
    String twilioCallSid,
    CallStatus status,
    String answeredBy,
    CallOutcome outcome,
    String outcomeReason,
    String leadVariablesJson,
    String idempotencyKey,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant answeredAt,
    Instant endedAt,
    Integer durationSeconds,
    Recording recording,
    String extractedDataJson,
    Actor createdBy,
    String nodeId,
    UUID campaignId,
    String safeHarbourMessage,
    String voicemailMessage,
    String voicemailRecording,
    boolean abandoned,
    Retention retention) {

  /**
   * What was kept of the call and what was removed.
   *
   * @param recordingStoredAt when Parley's encrypted copy of the recording was written, or null
   * @param recordingDeletedAt when the recording was deleted (both copies), or null
   * @param transcriptPurgedAt when retention removed the transcript, or null
   * @param extractedDataPurgedAt when retention removed the extracted data, or null
   * @param legalHold exempt from every purge while true
   * @param legalHoldReason why it is held, or null
   */
  public record Retention(
      Instant recordingStoredAt,
      Instant recordingDeletedAt,
      Instant transcriptPurgedAt,
      Instant extractedDataPurgedAt,
      boolean legalHold,
      String legalHoldReason) {

    public static final Retention NONE = new Retention(null, null, null, null, false, null);
  }
}
