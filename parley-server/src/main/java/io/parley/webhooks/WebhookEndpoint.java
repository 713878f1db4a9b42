package io.parley.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A registered endpoint as the API shows it. {@code secret} is present only in the answer that
 * created the endpoint or rotated its secret; it is never shown again.
 *
 * @param failingSince the first failed attempt since the last success, or null
 * @param disabledReason why Parley disabled it (failing for 24 hours), or null
 */
record WebhookEndpoint(
    UUID id,
    String url,
    String description,
    List<String> eventTypes,
    boolean enabled,
    Instant failingSince,
    Instant disabledAt,
    String disabledReason,
    Instant createdAt,
    Instant updatedAt,
    String secret) {

  WebhookEndpoint withSecret(String shown) {
    return new WebhookEndpoint(
        id,
        url,
        description,
        eventTypes,
        enabled,
        failingSince,
        disabledAt,
        disabledReason,
        createdAt,
        updatedAt,
        shown);
  }
}
