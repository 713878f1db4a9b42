package io.parley.webhooks;

import java.util.Optional;
import java.util.UUID;

/**
 * Records an event for every endpoint subscribed to its type. Joins the caller's transaction (or
 * runs in its own when there is none): the event, its deliveries and their jobs exist exactly when
 * the caller's change committed, so a restart loses nothing. Call it where the fact is written,
 * e.g. from a synchronous {@code @EventListener} of the feature's own event.
 *
 * <pre>{@code
 * outbox.record(organisationId, WebhookEventType.MESSAGE_RECEIVED, messageId,
 *     Map.of("messageId", messageId, "from", from, "to", to, "body", body));
 * }</pre>
 */
public interface WebhookOutbox {

  /**
   * Writes the event and one delivery per enabled endpoint of the organisation subscribed to {@code
   * type}.
   *
   * @param subjectId what the event is about (a call, a campaign, a message): events of one subject
   *     are numbered 1, 2, 3... in the order they are recorded (the {@code sequence} field)
   * @param data the event's {@code data} object, serialised with Jackson (a record or a map)
   * @return the event's id; empty when no endpoint wants it (nothing is written)
   */
  Optional<UUID> record(UUID organisationId, WebhookEventType type, UUID subjectId, Object data);

  /**
   * As {@link #record(UUID, WebhookEventType, UUID, Object)}, once per {@code dedupeKey}: when an
   * event with that key was recorded before, nothing is written and that event's id is returned.
   */
  Optional<UUID> record(
      UUID organisationId, WebhookEventType type, UUID subjectId, Object data, String dedupeKey);
}
