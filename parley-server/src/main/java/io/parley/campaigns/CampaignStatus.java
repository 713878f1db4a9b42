package io.parley.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a campaign is in its life: {@code draft → running ⇄ paused → completed | cancelled}. */
public enum CampaignStatus {
  DRAFT,
  RUNNING,
  PAUSED,
  COMPLETED,
  CANCELLED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static CampaignStatus fromWire(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }

  /** Whether the campaign may still dial (its leads count as active elsewhere). */
  boolean isActive() {
    return this == DRAFT || this == RUNNING || this == PAUSED;
  }
}
