package io.parley.jobs;

import java.time.Instant;
import java.util.UUID;

/** Schedules work that any node will run once it is due. */
public interface Jobs {

  /**
   * Schedules a job. Joins the caller's transaction when there is one, so a job scheduled with a
   * business change exists exactly when the change committed.
   *
   * @param kind names the {@link JobHandler} that runs it
   * @param payloadJson what the handler needs, as JSON text
   * @param runAt not before this instant (a past instant means as soon as possible)
   * @return the job's id
   */
  UUID schedule(String kind, String payloadJson, Instant runAt);

  /**
   * Schedules a job once per {@code dedupeKey}: while a job with that key exists (waiting, running
   * or failed), scheduling it again changes nothing and returns that job's id. A job that succeeded
   * is deleted, and its key is free again.
   */
  UUID schedule(String kind, String payloadJson, Instant runAt, String dedupeKey);
}
