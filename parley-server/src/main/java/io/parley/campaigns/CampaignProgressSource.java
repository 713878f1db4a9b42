package io.parley.campaigns;

import java.util.Optional;
import java.util.UUID;

/** Where the campaign progress feed reads a campaign's progress: one read per campaign per poll. */
interface CampaignProgressSource {

  /** The campaign's status, lead counts and progress now; empty when there is no such campaign. */
  Optional<CampaignLiveProgress> progress(UUID campaignId);
}
