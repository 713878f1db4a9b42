package io.parley.compliance;

import io.parley.shared.Actor;
import java.util.Objects;
import java.util.UUID;

/** Who put a number on the do-not-call list: a signed-in person, or the callee during a call. */
public sealed interface AddedBy {

  /** A person, through the console or the API. */
  record User(Actor actor) implements AddedBy {
    public User {
      Objects.requireNonNull(actor, "actor");
    }
  }

  /** The callee, who asked during this call (the {@code opt_out} tool) or by SMS reply. */
  record Call(UUID callId) implements AddedBy {
    public Call {
      Objects.requireNonNull(callId, "callId");
    }
  }

  static AddedBy user(Actor actor) {
    return new User(actor);
  }

  static AddedBy call(UUID callId) {
    return new Call(callId);
  }
}
