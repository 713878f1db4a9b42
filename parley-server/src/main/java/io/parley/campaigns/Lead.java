package io.parley.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A lead as the API shows it.
 *
 * @param zones libphonenumber's zones for the number; with {@code timeZone}, every zone the calling
 *     window is checked in
 * @param importLine the line of the file it came from
 */
public record Lead(
    UUID id,
    UUID campaignId,
    String phoneNumber,
    String firstName,
    String lastName,
    String timeZone,
    List<String> zones,
    String consentSource,
    Instant consentAt,
    Map<String, String> variables,
    LeadStatus status,
    String statusReason,
    int attempts,
    String lastOutcome,
    Instant nextAttemptAt,
    UUID importId,
    Integer importLine,
    Instant createdAt,
    Instant updatedAt) {

  public Lead {
    zones = List.copyOf(zones);
    variables = Map.copyOf(variables);
  }
}
