package io.parley.campaigns;

import java.time.Instant;
import java.util.UUID;

/**
 * Business facts about campaigns, published with Spring's ApplicationEventPublisher inside the
 * transaction that recorded them (use {@code @TransactionalEventListener} to act after commit).
 */
public sealed interface CampaignEvent {

  UUID organisationId();

  UUID campaignId();

  /**
   * The campaign moved along its lifecycle: started ({@code draft → running}), paused, resumed
   * ({@code paused → running}), completed (every lead called) or cancelled.
   *
   * @param reason why, when Parley moved it by itself (completed, paused for the drop rate); null
   *     for an administrator's command
   */
  record StatusChanged(
      UUID organisationId,
      UUID campaignId,
      String name,
      CampaignStatus from,
      CampaignStatus to,
      String reason,
      Instant at)
      implements CampaignEvent {}
}
