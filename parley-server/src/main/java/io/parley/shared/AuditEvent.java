package io.parley.shared;

import java.util.Map;
import java.util.UUID;

/**
 * Something an operator did that the audit log must keep: published by the feature that did it,
 * inside its transaction, and written by the audit module in that same transaction.
 *
 * @param actorId the user who acted, or null when nobody was signed in (e.g. a failed login)
 * @param actorEmail the e-mail the actor used, for readers of the log
 * @param action a stable verb such as {@code prompt.updated} or {@code auth.login_failed}
 * @param targetType what kind of object was acted on ({@code prompt}, {@code agent}, {@code user})
 * @param targetId the object's id, or null
 * @param details small facts worth keeping (never secrets or passwords)
 */
public record AuditEvent(
    UUID actorId,
    String actorEmail,
    String action,
    String targetType,
    String targetId,
    Map<String, Object> details) {

  public AuditEvent {
    details = details == null ? Map.of() : Map.copyOf(details);
  }
}
