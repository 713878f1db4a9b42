package io.parley.compliance;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.parley.shared.Actor;
import java.time.Instant;
import java.util.UUID;

/**
 * One request not to be called.
 *
 * @param id the entry's id
 * @param phoneNumber the number, in E.164 form
 * @param source how it was added
 * @param reason why, in the words of whoever added it; may be null
 * @param callId the call in which the callee opted out, or null
 * @param createdAt when it was added
 * @param createdBy the person who added it; null when a call did
 * @param removedAt when it was taken off the list; null while active
 * @param removedBy who took it off; null while active
 * @param removalReason why it was taken off; may be null
 */
public record DncEntry(
    UUID id,
    String phoneNumber,
    DncSource source,
    String reason,
    UUID callId,
    Instant createdAt,
    Actor createdBy,
    Instant removedAt,
    Actor removedBy,
    String removalReason) {

  /** True while the entry blocks calls. */
  @JsonProperty("active")
  public boolean active() {
    return removedAt == null;
  }
}
