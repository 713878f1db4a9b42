package io.parley.compliance;

import java.time.Instant;
import java.util.UUID;

/**
 * One dial to check against the calling rules, as the compliance gate sees it. A manual call leaves
 * the campaign fields empty: no consent is asked for and no attempt cap applies, while the
 * do-not-call list, the calling window and the per-number cap hold for every call. A manual call is
 * not telemarketing (it has no purpose to say so), so the registry lists do not apply to it.
 *
 * @param organisationId whose call it is
 * @param campaignId the campaign dialling, whose own do-not-call list also applies; null for a
 *     manual call
 * @param phoneNumber the callee in E.164 form
 * @param timeZone the callee's zone when known from elsewhere (a lead's file), or null
 * @param consentRequired whether the callee must have given consent (telemarketing by default)
 * @param consentSource where the consent was recorded, or null
 * @param consentAt when it was given, or null
 * @param attemptsMade the attempts already made to this lead (0 for a manual call)
 * @param maxAttempts the attempts a lead may have, or null when there is no cap
 * @param hours the campaign's own calling hours, or null for the global window alone
 * @param telemarketing whether the call is a solicitation (a telemarketing campaign's): only those
 *     are checked against the registry lists, which do not apply to informational calls
 */
public record DialCheck(
    UUID organisationId,
    UUID campaignId,
    String phoneNumber,
    String timeZone,
    boolean consentRequired,
    String consentSource,
    Instant consentAt,
    int attemptsMade,
    Integer maxAttempts,
    CampaignHours hours,
    boolean telemarketing) {

  /** A call placed by hand: the rules that hold for every call and nothing more. */
  public static DialCheck manual(UUID organisationId, String phoneNumber, String timeZone) {
    return new DialCheck(
        organisationId, null, phoneNumber, timeZone, false, null, null, 0, null, null, false);
  }
}
