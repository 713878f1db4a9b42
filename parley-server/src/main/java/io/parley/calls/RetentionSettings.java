package io.parley.calls;

import java.time.Duration;
import java.time.LocalTime;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long each kind of call data is kept ({@code PARLEY_RETENTION_*}); a day count of 0 (the
 * default for recordings, transcripts and extracted data) keeps that kind until it is deleted by
 * hand, since how long they may be kept is the operator's policy (docs/recordings.md). A call on
 * legal hold is never purged.
 *
 * @param recordingDays {@code PARLEY_RETENTION_RECORDING_DAYS}: recordings (Twilio's and the local
 *     copy) of calls older than this are deleted
 * @param transcriptDays {@code PARLEY_RETENTION_TRANSCRIPT_DAYS}: transcript text
 * @param extractedDataDays {@code PARLEY_RETENTION_EXTRACTED_DATA_DAYS}: what the call gathered
 *     (answers, tool arguments and results) and the lead's variables
 * @param callRecordDays {@code PARLEY_RETENTION_CALL_RECORD_DAYS}: the call's detail record itself
 *     (times, numbers, outcome, disposition, agent and prompt version), with everything left of it;
 *     default 1826 (5 years, the Telemarketing Sales Rule's record keeping)
 * @param callRecordDaysBelowFiveYears {@code PARLEY_RETENTION_CALL_RECORD_DAYS_BELOW_FIVE_YEARS}:
 *     must be {@code true} for a call-record period under 5 years, so it is never shortened by
 *     mistake
 * @param runAt {@code PARLEY_RETENTION_RUN_AT}: the time of day (UTC) of the daily purge; default
 *     03:00
 * @param batchSize {@code PARLEY_RETENTION_BATCH_SIZE}: calls purged per transaction; default 500
 * @param analysisDays {@code PARLEY_RETENTION_ANALYSIS_DAYS}: post-call analysis (summary,
 *     category, sentiment, fields); default 0 (kept)
 */
@ConfigurationProperties("parley.retention")
record RetentionSettings(
    Integer recordingDays,
    Integer transcriptDays,
    Integer extractedDataDays,
    Integer callRecordDays,
    boolean callRecordDaysBelowFiveYears,
    LocalTime runAt,
    Integer batchSize,
    Integer analysisDays) {

  static final int FIVE_YEARS_DAYS = 1826;

  RetentionSettings {
    recordingDays = days("PARLEY_RETENTION_RECORDING_DAYS", recordingDays, 0);
    transcriptDays = days("PARLEY_RETENTION_TRANSCRIPT_DAYS", transcriptDays, 0);
    extractedDataDays = days("PARLEY_RETENTION_EXTRACTED_DATA_DAYS", extractedDataDays, 0);
    analysisDays = days("PARLEY_RETENTION_ANALYSIS_DAYS", analysisDays, 0);
    callRecordDays = days("PARLEY_RETENTION_CALL_RECORD_DAYS", callRecordDays, FIVE_YEARS_DAYS);
    if (callRecordDays == 0) {
      throw new IllegalArgumentException(
          "PARLEY_RETENTION_CALL_RECORD_DAYS must be at least 1: call detail records are proof"
              + " of calling hours, attempts and abandonment");
    }
    if (callRecordDays < FIVE_YEARS_DAYS && !callRecordDaysBelowFiveYears) {
      throw new IllegalArgumentException(
          "PARLEY_RETENTION_CALL_RECORD_DAYS="
              + callRecordDays
              + " is under the 5 years (1826 days) the Telemarketing Sales Rule asks call records"
              + " be kept; set PARLEY_RETENTION_CALL_RECORD_DAYS_BELOW_FIVE_YEARS=true if that is"
              + " on purpose");
    }
    runAt = runAt == null ? LocalTime.of(3, 0) : runAt;
    batchSize = batchSize == null ? 500 : batchSize;
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException(
          "PARLEY_RETENTION_BATCH_SIZE must be 1 to 10000, was " + batchSize);
    }
  }

  /** The age past which a kind is purged; null when it is kept. */
  Duration recordings() {
    return age(recordingDays);
  }

  Duration transcripts() {
    return age(transcriptDays);
  }

  Duration extractedData() {
    return age(extractedDataDays);
  }

  Duration analyses() {
    return age(analysisDays);
  }

  Duration callRecords() {
    return age(callRecordDays);
  }

  private static Duration age(int days) {
    return days == 0 ? null : Duration.ofDays(days);
  }

  private static int days(String name, Integer value, int otherwise) {
    int days = value == null ? otherwise : value;
    if (days < 0 || days > 36_500) {
      throw new IllegalArgumentException(name + " must be 0 to 36500 days, was " + value);
    }
    return days;
  }
}
