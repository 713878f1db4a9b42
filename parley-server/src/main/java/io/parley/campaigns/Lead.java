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
 * @param callback the callback booked for the lead (waiting, placed or cancelled), or null
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
    Instant updatedAt,
    LeadCallback callback) {

  public Lead {
    zones = List.copyOf(zones);
    variables = Map.copyOf(variables);
  }

  /** The prompt variable that carries a callback's summary into the callback call. */
  static final String PREVIOUS_CALL_SUMMARY = "previous_call_summary";

  /** Whether this claim of the lead is the dial of its callback. */
  boolean dialsCallback() {
    return callback != null && callback.state() == LeadCallback.State.DIALING;
  }

  /**
   * The prompt's values for a dial: the file's extra columns, the names when the file had them, and
   * on the dial of a callback its summary as {@code previous_call_summary} (over a column of that
   * name).
   */
  Map<String, String> promptVariables() {
    Map<String, String> values = new java.util.LinkedHashMap<>(variables);
    if (firstName != null) {
      values.putIfAbsent("first_name", firstName);
    }
    if (lastName != null) {
      values.putIfAbsent("last_name", lastName);
    }
    if (dialsCallback() && callback.summary() != null) {
      values.put(PREVIOUS_CALL_SUMMARY, callback.summary());
    }
    return values;
  }

  /**
   * The attempt cap the gate applies to this dial: the campaign's, except that a callback the
   * person asked for is placed even when every attempt was used (once: it counts, so the lead is
   * not retried after it beyond the cap).
   */
  int attemptCap(int campaignMaxAttempts) {
    return dialsCallback() ? Math.max(campaignMaxAttempts, attempts + 1) : campaignMaxAttempts;
  }
}
