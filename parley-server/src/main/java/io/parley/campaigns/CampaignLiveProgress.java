package io.parley.campaigns;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The data of a {@code progress} event of {@code GET /api/campaigns/{id}/events}: what {@code GET
 * /api/campaigns/{id}} says about how the campaign is doing, in the same shape and from the same
 * records, so a field added to {@link CampaignProgress} appears in the stream too.
 *
 * @param leads how many leads it has in each status, as {@link Campaign#leads()}
 * @param progress as {@link Campaign#progress()}
 */
public record CampaignLiveProgress(
    UUID id, CampaignStatus status, Map<String, Long> leads, CampaignProgress progress) {

  public CampaignLiveProgress {
    // In LeadStatus order, as GET /api/campaigns/{id} lists them.
    leads = Collections.unmodifiableMap(new LinkedHashMap<>(leads));
  }

  /** The progress part of a campaign read with its lead counts and progress. */
  static CampaignLiveProgress of(Campaign campaign) {
    return new CampaignLiveProgress(
        campaign.id(), campaign.status(), campaign.leads(), campaign.progress());
  }

  /**
   * Whether nothing about the campaign can change any more: it is completed or cancelled and no
   * lead is in {@code dialing} (a cancelled campaign's calls in progress finish and are settled
   * after the cancel, and those settlements are progress too).
   */
  @JsonIgnore
  boolean finished() {
    return !status.isActive() && leads.getOrDefault(LeadStatus.DIALING.wire(), 0L) == 0;
  }
}
