package io.parley.compliance;

import io.parley.shared.Actor;
import java.util.Objects;
import java.util.UUID;

/**
 * Who put a number on the do-not-call list: a signed-in person, the callee during a call, or the
 * number itself by text message.
 */
public sealed interface AddedBy {

  /** A person, through the console or the API. */
  record User(Actor actor) implements AddedBy {
    public User {
      Objects.requireNonNull(actor, "actor");
    }
  }

  /** The callee, who asked during this call (the {@code opt_out} tool). */
  record Call(UUID callId) implements AddedBy {
    public Call {
      Objects.requireNonNull(callId, "callId");
    }
  }

  /**
   * The number's owner by text message: a reply with an opt-out word, or the carrier's report that
   * the number opted out of the sender (Twilio error 21610). {@code messageId} is Parley's message
   * (the inbound text, or the outbound one Twilio refused).
   */
  record Text(UUID messageId) implements AddedBy {
    public Text {
      Objects.requireNonNull(messageId, "messageId");
    }
  }

  static AddedBy user(Actor actor) {
    return new User(actor);
  }

  static AddedBy call(UUID callId) {
    return new Call(callId);
  }
}
