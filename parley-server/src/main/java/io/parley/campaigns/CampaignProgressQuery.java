package io.parley.campaigns;

import io.parley.shared.Organisations;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Reads a campaign's progress as {@code GET /api/campaigns/{id}} does ({@link
 * CampaignService#live}): the campaign, its lead counts and its progress queries, in one read-only
 * transaction.
 */
@Component
class CampaignProgressQuery implements CampaignProgressSource {

  private final CampaignService campaigns;

  CampaignProgressQuery(CampaignService campaigns) {
    this.campaigns = campaigns;
  }

  @Override
  public Optional<CampaignLiveProgress> progress(UUID campaignId) {
    return campaigns.live(Organisations.DEFAULT_ID, campaignId);
  }
}
