package io.parley.webhooks;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of an endpoint's delivery log: one attempt to deliver one event.
 *
 * @param sequence the event's number within its subject (the call, campaign or message)
 * @param statusCode what the endpoint answered, or null when no answer came
 * @param error why the attempt failed (a refused address, a timeout, a status), or null
 * @param deliveryStatus where the delivery stands now: {@code pending} (a retry is scheduled),
 *     {@code delivered}, {@code failed} (gave up after 24 hours) or {@code cancelled} (the endpoint
 *     was disabled)
 */
record DeliveryAttempt(
    UUID deliveryId,
    UUID eventId,
    String eventType,
    long sequence,
    int attempt,
    Instant attemptedAt,
    long durationMs,
    Integer statusCode,
    String error,
    String deliveryStatus) {}
