package io.parley.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dispatcher's view of each running campaign's drop rate, read from the call records at most
 * every {@link #REFRESH} per campaign (the dispatcher runs four rounds a second; the rate moves
 * with whole calls). Every node reads the same records, so every node slows or pauses a campaign
 * alike.
 */
final class AbandonmentWatch {

  static final Duration REFRESH = Duration.ofSeconds(2);

  private record Reading(DropRate rate, Instant at) {}

  private final CampaignRepository campaigns;
  private final Map<UUID, Reading> readings = new ConcurrentHashMap<>();

  AbandonmentWatch(CampaignRepository campaigns) {
    this.campaigns = campaigns;
  }

  /** The campaign's drop rate as of at most {@link #REFRESH} ago. */
  DropRate rate(UUID campaignId, Instant now) {
    Reading last = readings.get(campaignId);
    if (last != null && last.at().plus(REFRESH).isAfter(now) && !last.at().isAfter(now)) {
      return last.rate();
    }
    DropRate rate = campaigns.dropRate(campaignId, now.minus(DropRate.PERIOD));
    readings.put(campaignId, new Reading(rate, now));
    return rate;
  }

  /** Forgets a campaign that stopped running, so its next run reads afresh. */
  void forget(UUID campaignId) {
    readings.remove(campaignId);
  }
}
