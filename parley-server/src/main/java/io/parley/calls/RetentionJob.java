package io.parley.calls;

import io.parley.jobs.Job;
import io.parley.jobs.JobHandler;
import io.parley.jobs.Jobs;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The daily retention pass, a job in the job table: one per day (its dedupe key names the day), so
 * however many nodes start, the pass runs once, on whichever node is free; a day when every node
 * was down runs as soon as one is back. Each run schedules the next day's first, then purges; a run
 * with recordings Twilio could not delete fails, and the job table retries it with backoff.
 */
@Component
class RetentionJob implements JobHandler {

  static final String KIND = "retention.purge";
  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

  private final RetentionPurge purge;
  private final RetentionSettings settings;
  private final Jobs jobs;
  private final Clock clock;

  RetentionJob(RetentionPurge purge, RetentionSettings settings, Jobs jobs, Clock clock) {
    this.purge = purge;
    this.settings = settings;
    this.jobs = jobs;
    this.clock = clock;
  }

  @EventListener(ApplicationReadyEvent.class)
  void scheduleOnStart() {
    scheduleNext(clock.instant());
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void run(Job job) {
    Instant now = clock.instant();
    scheduleNext(now.plusSeconds(60));
    RetentionPurge.Report report = purge.purge(now);
    log.info(
        "Retention: {} recordings, {} transcripts, {} extracted data, {} call records purged",
        report.recordings(),
        report.transcripts(),
        report.extractedData(),
        report.callRecords());
    if (report.failed() > 0) {
      throw new IllegalStateException(
          report.failed() + " recordings could not be deleted at Twilio; retried later");
    }
  }

  /** The first run at the configured time of day after {@code after}. */
  Instant scheduleNext(Instant after) {
    LocalDate day = after.atZone(ZoneOffset.UTC).toLocalDate();
    Instant next = day.atTime(settings.runAt()).toInstant(ZoneOffset.UTC);
    if (!next.isAfter(after)) {
      day = day.plusDays(1);
      next = day.atTime(settings.runAt()).toInstant(ZoneOffset.UTC);
    }
    jobs.schedule(KIND, "{}", next, KIND + ":" + day);
    return next;
  }
}
