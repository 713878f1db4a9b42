package io.parley.campaigns;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A campaign as the API shows it.
 *
 * @param leads how many leads it has in each status (every status present, zeros included, keyed by
 *     the status's wire name)
 * @param progress calls in progress, rates and ETA; shown for one campaign, null in lists
 */
public record Campaign(
    UUID id,
    String name,
    CampaignStatus status,
    CampaignSettings settings,
    Map<String, Long> leads,
    CampaignProgress progress,
    Instant createdAt,
    String createdBy,
    Instant updatedAt) {

  public Campaign {
    leads = leads == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(leads));
  }

  Campaign withLeads(Map<String, Long> counts) {
    return new Campaign(
        id, name, status, settings, counts, progress, createdAt, createdBy, updatedAt);
  }

  Campaign withProgress(CampaignProgress now) {
    return new Campaign(id, name, status, settings, leads, now, createdAt, createdBy, updatedAt);
  }
}
