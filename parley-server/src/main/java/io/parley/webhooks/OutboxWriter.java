package io.parley.webhooks;

import io.parley.jobs.Jobs;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** {@link WebhookOutbox} on the outbox tables and the job table, in the caller's transaction. */
@Service
class OutboxWriter implements WebhookOutbox {

  static final int MAX_DEDUPE_KEY = 200;

  private final EndpointRepository endpoints;
  private final OutboxRepository outbox;
  private final Jobs jobs;
  private final JsonMapper json;
  private final Clock clock;

  OutboxWriter(
      EndpointRepository endpoints,
      OutboxRepository outbox,
      Jobs jobs,
      JsonMapper json,
      Clock clock) {
    this.endpoints = endpoints;
    this.outbox = outbox;
    this.jobs = jobs;
    this.json = json;
    this.clock = clock;
  }

  @Override
  @Transactional
  public Optional<UUID> record(
      UUID organisationId, WebhookEventType type, UUID subjectId, Object data) {
    return record(organisationId, type, subjectId, data, null);
  }

  @Override
  @Transactional
  public Optional<UUID> record(
      UUID organisationId, WebhookEventType type, UUID subjectId, Object data, String dedupeKey) {
    Objects.requireNonNull(organisationId, "organisationId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subjectId, "subjectId");
    if (dedupeKey != null && (dedupeKey.isEmpty() || dedupeKey.length() > MAX_DEDUPE_KEY)) {
      throw new IllegalArgumentException(
          "A dedupe key must be 1 to " + MAX_DEDUPE_KEY + " characters");
    }
    List<UUID> subscribers = subscribers(organisationId, type);
    if (subscribers.isEmpty()) {
      return Optional.empty();
    }
    if (dedupeKey != null) {
      Optional<UUID> earlier = outbox.eventWithKey(dedupeKey);
      if (earlier.isPresent()) {
        return earlier;
      }
    }
    UUID id = UUID.randomUUID();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    long sequence = outbox.nextSequence(subjectId);
    String body = body(id, type, now, sequence, data);
    if (!outbox.insertEvent(
        id, organisationId, type.wire(), subjectId, sequence, dedupeKey, body, now)) {
      // A concurrent transaction recorded it under the key first.
      return outbox.eventWithKey(dedupeKey);
    }
    for (UUID endpoint : subscribers) {
      UUID delivery = UUID.randomUUID();
      outbox.insertDelivery(delivery, organisationId, endpoint, id, now);
      DeliveryJob.schedule(jobs, delivery, 1, now);
    }
    return Optional.of(id);
  }

  /** Whether any enabled endpoint of the organisation takes this type (a cheap look first). */
  boolean wanted(UUID organisationId, WebhookEventType type) {
    return !subscribers(organisationId, type).isEmpty();
  }

  private List<UUID> subscribers(UUID organisationId, WebhookEventType type) {
    return endpoints.enabled(organisationId).stream()
        .filter(e -> e.eventTypes().stream().anyMatch(type::matches))
        .map(EndpointRepository.Subscriber::id)
        .toList();
  }

  /** The JSON every delivery of the event sends, byte for byte (the signature covers it). */
  private String body(UUID id, WebhookEventType type, Instant at, long sequence, Object data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id.toString());
    body.put("type", type.wire());
    body.put("createdAt", at.toString());
    body.put("sequence", sequence);
    body.put("data", data == null ? Map.of() : data);
    return json.writeValueAsString(body);
  }
}
