package io.parley.compliance;

import java.util.Optional;
import java.util.UUID;

/**
 * The company-wide do-not-call list, as outbound dialing and the {@code opt_out} tool use it.
 * Numbers are compared in canonical E.164 form. Check it at the moment of dialing, not when a lead
 * is loaded: a number may be added in between.
 */
public interface DoNotCallList {

  /**
   * True when the number has an active entry.
   *
   * @throws io.parley.shared.InvalidInputException naming {@code phoneNumber} when the text is not
   *     a valid E.164 number (callers must not treat that as "not blocked")
   */
  boolean isBlocked(UUID organisationId, String phoneNumber);

  /** The active entry for a number, if any; same validation as {@link #isBlocked}. */
  Optional<DncEntry> find(UUID organisationId, String phoneNumber);

  /**
   * Puts a number on the list, idempotently: a number already on it keeps its first entry and the
   * result says {@code created = false}. Joins the caller's transaction if there is one; publishes
   * the {@code dnc.added} audit event when it adds.
   *
   * @param reason free text, at most 500 characters; may be null
   * @throws io.parley.shared.InvalidInputException naming {@code phoneNumber} or {@code reason}
   */
  DncAddition add(
      UUID organisationId, String phoneNumber, DncSource source, String reason, AddedBy addedBy);

  /**
   * Takes the number's company-wide entry off the list when, and only when, it was added by a text
   * message opt-out ({@link DncSource#OPT_OUT_SMS}): what a START reply may undo. An entry a
   * person, a call or an import added stays. Publishes the {@code dnc.removed} audit event (no
   * actor: the number's owner asked) in the caller's transaction.
   *
   * @param reason why, e.g. "texted START"; at most 500 characters
   * @param messageId the text that asked
   * @return the removed entry; empty when the number had no active entry or one of another source
   * @throws io.parley.shared.InvalidInputException naming {@code phoneNumber} or {@code reason}
   */
  Optional<DncEntry> removeTextOptOut(
      UUID organisationId, String phoneNumber, String reason, UUID messageId);
}
