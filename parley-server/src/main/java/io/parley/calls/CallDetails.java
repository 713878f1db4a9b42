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
public record CallDetails(
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
    Kept retention,
    List<TranscriptSegment> transcript,
    List<ToolInvocation> toolInvocations,
    List<Turn> turns,
    AnalysisInfo analysis) {

  /**
   * The call's post-call analysis (docs/analysis.md), or null when it has none (yet); apart from
   * the outcome, which it never changes.
   */
  public record AnalysisInfo(
      CallAnalysis.Status status,
      String summary,
      String category,
      String sentiment,
      JsonNode fields,
      String error,
      String provider,
      String model,
      long promptTokens,
      long completionTokens,
      int attempts,
      Instant analyzedAt) {

    static AnalysisInfo of(CallAnalysis a, CallJson json) {
      return new AnalysisInfo(
          a.status(),
          a.summary(),
          a.category(),
          a.sentiment(),
          json.tree(a.fieldsJson()),
          a.error(),
          a.provider(),
          a.model(),
          a.promptTokens(),
          a.completionTokens(),
          a.attempts(),
          a.createdAt());
    }
  }

  /**
   * A call's recording: Twilio's RecordingSid, its length in seconds (null when unknown), and when
   * Parley's encrypted copy was written (null without one).
   */
  public record RecordingInfo(String sid, Integer durationSeconds, Instant storedLocallyAt) {

    static RecordingInfo of(Recording recording, CallRecord.Retention retention) {
      return recording == null
          ? null
          : new RecordingInfo(
              recording.sid(), recording.durationSeconds(), retention.recordingStoredAt());
    }
  }

  /**
   * What retention and deletion did to the call, and whether it is held.
   *
   * @param recordingDeletedAt when the recording was deleted (both copies), or null
   * @param transcriptPurgedAt when the transcript was purged, or null
   * @param extractedDataPurgedAt when the extracted data and lead variables were purged, or null
   * @param legalHold exempt from purges and deletion while true
   * @param legalHoldReason why
   */
  public record Kept(
      Instant recordingDeletedAt,
      Instant transcriptPurgedAt,
      Instant extractedDataPurgedAt,
      boolean legalHold,
      String legalHoldReason) {

    static Kept of(CallRecord.Retention r) {
      return new Kept(
          r.recordingDeletedAt(),
          r.transcriptPurgedAt(),
          r.extractedDataPurgedAt(),
          r.legalHold(),
          r.legalHoldReason());
    }
  }
}
