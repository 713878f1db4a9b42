package io.parley.webhooks;

import io.parley.jobs.Job;
import io.parley.jobs.JobHandler;
import io.parley.jobs.Jobs;
import io.parley.shared.AuditEvent;
import io.parley.webhooks.OutboxRepository.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One attempt of one delivery, as a job ({@code webhook.delivery}, payload {@code {deliveryId,
 * attempt}}). The attempt is made outside any transaction; its outcome, the delivery's new state,
 * the endpoint's failure streak and the next attempt's job are then written together. A failed
 * attempt schedules the next one itself, with the webhook backoff, until {@code
 * PARLEY_WEBHOOKS_RETRY_FOR} after the event; the job then succeeds, so the job table's own retries
 * (minutes) only cover a failure to write the outcome.
 *
 * <p>At least once: a node that stops after the POST but before writing its outcome makes the
 * attempt again elsewhere, so a receiver may see an event twice (same {@code Parley-Event-Id}).
 */
@Component
class DeliveryJob implements JobHandler {

  static final String KIND = "webhook.delivery";

  private static final Logger log = LoggerFactory.getLogger(DeliveryJob.class);

  private final OutboxRepository outbox;
  private final WebhookSecrets secrets;
  private final WebhookSender sender;
  private final WebhookSettings settings;
  private final Jobs jobs;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transaction;
  private final JsonMapper json;
  private final Clock clock;

  DeliveryJob(
      OutboxRepository outbox,
      WebhookSecrets secrets,
      WebhookSettings settings,
      Jobs jobs,
      ApplicationEventPublisher events,
      PlatformTransactionManager transactions,
      JsonMapper json,
      Clock clock) {
    this.outbox = outbox;
    this.secrets = secrets;
    this.settings = settings;
    this.jobs = jobs;
    this.events = events;
    this.transaction = new TransactionTemplate(transactions);
    this.json = json;
    this.clock = clock;
    this.sender = new WebhookSender(new WebhookTargets(settings.allowLoopback()), clock);
  }

  /** Schedules the given attempt of a delivery, once (the dedupe key names both). */
  static void schedule(Jobs jobs, UUID deliveryId, int attempt, Instant at) {
    jobs.schedule(
        KIND,
        "{\"deliveryId\":\"" + deliveryId + "\",\"attempt\":" + attempt + "}",
        at,
        "webhook:" + deliveryId + ":" + attempt);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void run(Job job) throws InterruptedException {
    JsonNode payload = json.readTree(job.payload());
    UUID deliveryId = UUID.fromString(payload.get("deliveryId").asString());
    int attempt = payload.get("attempt").asInt();
    Optional<Delivery> found = outbox.delivery(deliveryId);
    if (found.isEmpty() || !current(found.get(), attempt)) {
      // The endpoint was deleted, or this attempt was already made (a job run twice).
      return;
    }
    Delivery delivery = found.get();
    if (!delivery.endpointEnabled()) {
      transaction.executeWithoutResult(
          status -> outbox.cancel(deliveryId, "the endpoint is disabled", now()));
      return;
    }
    Instant attemptedAt = now();
    AttemptResult result;
    try {
      String secret = secrets.open(delivery.endpointId(), delivery.sealedSecret());
      result =
          sender.send(
              delivery.url(),
              secret,
              delivery.eventId().toString(),
              delivery.eventType(),
              delivery.body());
    } catch (IllegalStateException unreadable) {
      result = new AttemptResult(null, unreadable.getMessage(), 0);
    }
    AttemptResult outcome = result;
    transaction.executeWithoutResult(status -> settle(deliveryId, attempt, attemptedAt, outcome));
  }

  private static boolean current(Delivery delivery, int attempt) {
    return OutboxRepository.PENDING.equals(delivery.status()) && delivery.attempts() == attempt - 1;
  }

  private void settle(UUID deliveryId, int attempt, Instant attemptedAt, AttemptResult result) {
    Optional<Delivery> locked = outbox.lockDelivery(deliveryId);
    if (locked.isEmpty() || !current(locked.get(), attempt)) {
      return;
    }
    Delivery delivery = locked.get();
    Instant now = now();
    outbox.insertAttempt(delivery, attempt, attemptedAt, result);
    if (result.succeeded()) {
      outbox.settle(deliveryId, OutboxRepository.DELIVERED, attempt, null, result, now);
      outbox.endpointSucceeded(delivery.endpointId());
      return;
    }
    Instant failingSince = outbox.endpointFailed(delivery.endpointId(), now);
    Instant deadline = delivery.eventCreatedAt().plus(settings.retryFor());
    boolean gaveUp = !now.isBefore(deadline);
    if (gaveUp) {
      outbox.settle(deliveryId, OutboxRepository.FAILED, attempt, null, result, now);
    } else {
      Instant next = now.plus(settings.backoffAfter(attempt));
      // The last attempt is made when the window closes rather than skipped.
      next = next.isAfter(deadline) ? deadline : next;
      outbox.settle(deliveryId, OutboxRepository.PENDING, attempt, next, result, now);
      schedule(jobs, deliveryId, attempt + 1, next);
    }
    Duration failing = Duration.between(failingSince, now);
    // Failing for the whole window: no success since this delivery's first attempt.
    boolean failedThroughout =
        gaveUp
            && outbox
                .firstAttemptAt(deliveryId)
                .map(first -> !failingSince.isAfter(first))
                .orElse(false);
    if (failing.compareTo(settings.disableAfter()) >= 0 || failedThroughout) {
      disable(delivery, failingSince, result, now);
    }
  }

  private void disable(Delivery delivery, Instant failingSince, AttemptResult last, Instant now) {
    String reason = "every delivery attempt has failed since " + failingSince;
    if (!outbox.disable(delivery.endpointId(), reason, now)) {
      return;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("url", delivery.url());
    details.put("failingSince", failingSince.toString());
    details.put("lastError", last.error());
    events.publishEvent(
        new AuditEvent(
            null,
            "system",
            "webhook.endpoint_disabled",
            "webhook_endpoint",
            delivery.endpointId().toString(),
            details));
    log.warn(
        "Webhooks: endpoint {} disabled: its deliveries have failed since {}",
        delivery.endpointId(),
        failingSince);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
