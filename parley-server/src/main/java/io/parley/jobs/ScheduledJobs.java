package io.parley.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** {@link Jobs} on the {@code job} table. */
@Service
class ScheduledJobs implements Jobs {

  static final int MAX_DEDUPE_KEY_LENGTH = 200;

  private final JobRepository repository;
  private final Clock clock;

  ScheduledJobs(JobRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  @Override
  public UUID schedule(String kind, String payloadJson, Instant runAt) {
    return schedule(kind, payloadJson, runAt, null);
  }

  @Override
  public UUID schedule(String kind, String payloadJson, Instant runAt, String dedupeKey) {
    checkedKind(kind);
    Objects.requireNonNull(payloadJson, "payloadJson");
    Objects.requireNonNull(runAt, "runAt");
    if (dedupeKey != null && (dedupeKey.isEmpty() || dedupeKey.length() > MAX_DEDUPE_KEY_LENGTH)) {
      throw new IllegalArgumentException(
          "A dedupe key must be 1 to " + MAX_DEDUPE_KEY_LENGTH + " characters");
    }
    UUID id = UUID.randomUUID();
    repository.insert(id, kind, payloadJson, runAt, dedupeKey, clock.instant());
    if (dedupeKey == null) {
      return id;
    }
    // The job holding the key: this one, or the one scheduled before. That one could have been
    // deleted (it succeeded) between the two statements: then nothing is left to run, and
    // scheduling it again is the honest answer.
    return repository
        .idOf(dedupeKey)
        .orElseGet(() -> schedule(kind, payloadJson, runAt, dedupeKey));
  }

  static String checkedKind(String kind) {
    if (kind == null || kind.isBlank() || kind.length() > JobHandlers.MAX_KIND_LENGTH) {
      throw new IllegalArgumentException(
          "A job kind must be 1 to " + JobHandlers.MAX_KIND_LENGTH + " characters, was " + kind);
    }
    return kind;
  }
}
