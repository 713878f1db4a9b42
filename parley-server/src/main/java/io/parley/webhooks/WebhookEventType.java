package io.parley.webhooks;

import java.util.Optional;

/**
 * The events an endpoint may subscribe to. Endpoints may also name {@code campaign.*}, every
 * campaign event. Which of them Parley sends today is in docs/webhooks.md: {@code call.analyzed}
 * and {@code message.*} have no source yet and are accepted so a subscription made now works once
 * they do.
 */
public enum WebhookEventType {
  /** A call was answered (carrier status {@code in_progress}). */
  CALL_STARTED("call.started"),
  /** A call reached its final status and has its outcome. */
  CALL_ENDED("call.ended"),
  /** A call's post-call analysis was stored (done or error). */
  CALL_ANALYZED("call.analyzed"),
  /** An SMS arrived on one of the account's numbers. */
  MESSAGE_RECEIVED("message.received"),
  /** An SMS Parley sent changed status. */
  MESSAGE_STATUS("message.status"),
  CAMPAIGN_STARTED("campaign.started"),
  CAMPAIGN_PAUSED("campaign.paused"),
  CAMPAIGN_RESUMED("campaign.resumed"),
  CAMPAIGN_COMPLETED("campaign.completed"),
  CAMPAIGN_CANCELLED("campaign.cancelled");

  /** The subscription that takes every campaign event. */
  static final String ALL_CAMPAIGN_EVENTS = "campaign.*";

  private final String wire;

  WebhookEventType(String wire) {
    this.wire = wire;
  }

  /** The name in subscriptions, the {@code type} field and the {@code Parley-Event-Type} header. */
  public String wire() {
    return wire;
  }

  public static Optional<WebhookEventType> parse(String text) {
    for (WebhookEventType type : values()) {
      if (type.wire.equals(text)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** Whether a subscription entry ({@code call.ended}, {@code campaign.*}) takes this type. */
  boolean matches(String subscription) {
    return subscription.equals(wire)
        || (subscription.equals(ALL_CAMPAIGN_EVENTS) && wire.startsWith("campaign."));
  }
}
