package io.parley.calls;

import io.parley.shared.Actor;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * One call with everything it recorded, as {@code GET /api/calls/{id}} returns it. {@code
 * campaignId} names the campaign it was an attempt of; {@code abandoned} says it counted as a drop
 * in that campaign's abandonment rate. The recording is named, not linked: Twilio's URL needs the
 * account's credentials, so the audio is played through {@code POST
 * /api/calls/{id}/recording/link}.
 */
record CallDetails(
    UUID id,
    UUID agentId,
    String agentName,
    JsonNode agentSnapshot,
    UUID promptId,
    Integer promptVersion,
    CallDirection direction,
    String from,
    String to,
    String twilioCallSid,
    CallStatus status,
    String answeredBy,
    CallOutcome outcome,
    String outcomeReason,
    JsonNode leadVariables,
    JsonNode extractedData,
    String idempotencyKey,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant answeredAt,
    Instant endedAt,
    Integer durationSeconds,
    RecordingInfo recording,
    Actor createdBy,
    UUID campaignId,
    boolean abandoned,
    List<TranscriptSegment> transcript,
    List<ToolInvocation> toolInvocations,
    List<Turn> turns) {

  /** A call's recording: Twilio's RecordingSid and its length in seconds (null when unknown). */
  record RecordingInfo(String sid, Integer durationSeconds) {

    static RecordingInfo of(Recording recording) {
      return recording == null
          ? null
          : new RecordingInfo(recording.sid(), recording.durationSeconds());
    }
  }
}
