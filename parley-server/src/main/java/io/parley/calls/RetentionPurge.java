package io.parley.calls;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.shared.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One retention pass at a given instant: recordings, transcripts, extracted data and analyses past
 * their configured ages, then call records past theirs (their recording deleted first, so nothing
 * is left at Twilio without a record pointing at it). Calls on legal hold are skipped. Each kind is
 * purged in batches, one transaction each; counts go to the metric {@code parley.retention.purged}
 * (tag {@code kind}) and one {@code retention.purged} audit entry.
 */
@Service
class RetentionPurge {

  private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

  private final RetentionSettings settings;
  private final RetentionRepository repository;
  private final RecordingRemoval recordings;
  private final TransactionTemplate transaction;
  private final ApplicationEventPublisher events;
  private final MeterRegistry meters;

  RetentionPurge(
      RetentionSettings settings,
      RetentionRepository repository,
      RecordingRemoval recordings,
      PlatformTransactionManager transactions,
      ApplicationEventPublisher events,
      MeterRegistry meters) {
    this.settings = settings;
    this.repository = repository;
    this.recordings = recordings;
    this.transaction = new TransactionTemplate(transactions);
    this.events = events;
    this.meters = meters;
  }

  /**
   * What one pass removed.
   *
   * @param failed recordings Twilio could not confirm deleted (left for the next attempt)
   */
  record Report(
      int recordings,
      int transcripts,
      int extractedData,
      int callRecords,
      int failed,
      int analyses) {}

  Report purge(Instant now) {
    Failures failures = new Failures();
    int recordingCount = purgeRecordings(settings.recordings(), now, failures);
    int transcripts =
        batches(
            settings.transcripts(),
            now,
            repository::withTranscript,
            calls -> repository.purgeTranscripts(ids(calls), now));
    int extracted =
        batches(
            settings.extractedData(),
            now,
            repository::withExtractedData,
            calls -> repository.purgeExtractedData(ids(calls), now));
    int analyses =
        batches(
            settings.analyses(),
            now,
            repository::withAnalysis,
            calls -> repository.purgeAnalyses(ids(calls)));
    int records = purgeCallRecords(settings.callRecords(), now, failures);
    Report report =
        new Report(recordingCount, transcripts, extracted, records, failures.count, analyses);
    count("recording", report.recordings());
    count("transcript", report.transcripts());
    count("extracted_data", report.extractedData());
    count("call_record", report.callRecords());
    count("analysis", report.analyses());
    meters.counter("parley.retention.failed").increment(report.failed());
    audit(report, now);
    return report;
  }

  /** Recordings Twilio could not confirm deleted in this pass. */
  private static final class Failures {
    int count;
  }

  private int purgeRecordings(Duration age, Instant now, Failures failures) {
    if (age == null) {
      return 0;
    }
    int deleted = 0;
    while (true) {
      List<RetentionRepository.Aged> batch =
          transaction.execute(
              status -> repository.withRecording(now.minus(age), settings.batchSize()));
      int failed = (int) batch.stream().filter(call -> !removeRecording(call)).count();
      deleted += batch.size() - failed;
      failures.count += failed;
      // A batch with failures ends the pass: the same calls would come back at once.
      if (batch.size() < settings.batchSize() || failed > 0) {
        return deleted;
      }
    }
  }

  private int purgeCallRecords(Duration age, Instant now, Failures failures) {
    int deleted = 0;
    while (true) {
      List<RetentionRepository.Aged> batch =
          transaction.execute(
              status -> repository.callRecords(now.minus(age), settings.batchSize()));
      List<RetentionRepository.Aged> free =
          batch.stream().filter(call -> !call.hasRecording() || removeRecording(call)).toList();
      failures.count += batch.size() - free.size();
      if (!free.isEmpty()) {
        deleted += transaction.execute(status -> repository.deleteCalls(ids(free)));
      }
      if (batch.size() < settings.batchSize() || free.size() < batch.size()) {
        return deleted;
      }
    }
  }

  private boolean removeRecording(RetentionRepository.Aged call) {
    try {
      recordings.delete(call.organisationId(), call.id(), null, "retention");
      return true;
    } catch (RuntimeException e) {
      log.warn(
          "Retention could not delete the recording of call {}: {}", call.id(), e.getMessage());
      return false;
    }
  }

  /** Purges one kind batch by batch, each batch selected and purged in one transaction. */
  private int batches(
      Duration age,
      Instant now,
      BiFunction<Instant, Integer, List<RetentionRepository.Aged>> select,
      Consumer<List<RetentionRepository.Aged>> purge) {
    if (age == null) {
      return 0;
    }
    int total = 0;
    while (true) {
      int size =
          transaction.execute(
              status -> {
                List<RetentionRepository.Aged> batch =
                    select.apply(now.minus(age), settings.batchSize());
                if (!batch.isEmpty()) {
                  purge.accept(batch);
                }
                return batch.size();
              });
      total += size;
      if (size < settings.batchSize()) {
        return total;
      }
    }
  }

  private static List<UUID> ids(List<RetentionRepository.Aged> calls) {
    return calls.stream().map(RetentionRepository.Aged::id).toList();
  }

  private void count(String kind, int n) {
    meters.counter("parley.retention.purged", "kind", kind).increment(n);
  }

  private void audit(Report report, Instant now) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("at", now.toString());
    details.put("recordings", report.recordings());
    details.put("transcripts", report.transcripts());
    details.put("extractedData", report.extractedData());
    details.put("callRecords", report.callRecords());
    details.put("failed", report.failed());
    details.put("analyses", report.analyses());
    details.put("recordingDays", settings.recordingDays());
    details.put("transcriptDays", settings.transcriptDays());
    details.put("extractedDataDays", settings.extractedDataDays());
    details.put("callRecordDays", settings.callRecordDays());
    details.put("analysisDays", settings.analysisDays());
    events.publishEvent(new AuditEvent(null, null, "retention.purged", "retention", null, details));
  }
}
