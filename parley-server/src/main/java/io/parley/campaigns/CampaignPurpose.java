package io.parley.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a campaign calls, which decides the consent it needs: an AI voice is an artificial voice (FCC
 * 24-17), so telemarketing needs prior express written consent per lead.
 */
public enum CampaignPurpose {
  INFORMATIONAL,
  TELEMARKETING;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<CampaignPurpose> parse(String text) {
    for (CampaignPurpose purpose : values()) {
      if (purpose.wire().equals(text)) {
        return Optional.of(purpose);
      }
    }
    return Optional.empty();
  }
}
