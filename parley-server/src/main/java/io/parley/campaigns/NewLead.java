package io.parley.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A lead read from a file, ready to be stored.
 *
 * @param phoneNumber E.164
 * @param timeZone the zone the file gave, or null
 * @param zones libphonenumber's zones for the number (IANA names; several for some numbers)
 * @param status {@link LeadStatus#PENDING}, or {@link LeadStatus#HELD} when it cannot be dialled as
 *     it is
 * @param statusReason why it is held, or null
 */
record NewLead(
    String phoneNumber,
    String firstName,
    String lastName,
    String timeZone,
    List<String> zones,
    String consentSource,
    Instant consentAt,
    Map<String, String> variables,
    LeadStatus status,
    String statusReason) {

  NewLead {
    zones = List.copyOf(zones);
    variables = Map.copyOf(variables);
  }
}
