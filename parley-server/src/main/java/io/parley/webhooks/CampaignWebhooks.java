package io.parley.webhooks;

import io.parley.campaigns.CampaignEvent;
import io.parley.campaigns.CampaignStatus;
import java.time.Instant;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns campaign lifecycle moves into {@code campaign.started}, {@code .paused}, {@code .resumed},
 * {@code .completed} and {@code .cancelled}, in the transaction that made the move.
 */
@Component
class CampaignWebhooks {

  private final OutboxWriter outbox;

  CampaignWebhooks(OutboxWriter outbox) {
    this.outbox = outbox;
  }

  @EventListener
  void on(CampaignEvent event) {
    switch (event) {
      case CampaignEvent.StatusChanged changed -> {
        WebhookEventType type = type(changed.from(), changed.to());
        if (type != null) {
          outbox.record(
              changed.organisationId(),
              type,
              changed.campaignId(),
              new CampaignData(
                  changed.campaignId(),
                  changed.name(),
                  changed.to().wire(),
                  changed.from().wire(),
                  changed.reason(),
                  changed.at()));
        }
      }
    }
  }

  private static WebhookEventType type(CampaignStatus from, CampaignStatus to) {
    return switch (to) {
      case RUNNING ->
          from == CampaignStatus.DRAFT
              ? WebhookEventType.CAMPAIGN_STARTED
              : WebhookEventType.CAMPAIGN_RESUMED;
      case PAUSED -> WebhookEventType.CAMPAIGN_PAUSED;
      case COMPLETED -> WebhookEventType.CAMPAIGN_COMPLETED;
      case CANCELLED -> WebhookEventType.CAMPAIGN_CANCELLED;
      case DRAFT -> null;
    };
  }

  /** The {@code data} of campaign events. */
  record CampaignData(
      UUID campaignId,
      String name,
      String status,
      String previousStatus,
      String reason,
      Instant at) {}
}
