package io.parley.sim;

import java.time.Duration;

/** A misbehaviour a simulator can be told to show, like the real services sometimes do. */
public sealed interface Fault {

  /** Every response (or the first byte of a stream) is delayed by this much. */
  record Latency(Duration added) implements Fault {}

  /**
   * The request fails with this HTTP status and a provider-shaped body; for 429 the response
   * carries {@code Retry-After} in whole seconds.
   */
  record ErrorStatus(int status, Duration retryAfter) implements Fault {
    public ErrorStatus(int status) {
      this(status, Duration.ofSeconds(1));
    }
  }

  /** A streamed response (SSE, WebSocket, chunked audio) is cut after this many chunks. */
  record DropMidStream(int afterChunks) implements Fault {}

  /** The request is accepted and never answered until the simulator stops. */
  record Hang() implements Fault {}

  /** Twilio only: every status callback is sent twice. */
  record DuplicateCallbacks() implements Fault {}

  /**
   * Twilio only: status callbacks of a call are delivered in reverse order, after the call ends.
   */
  record OutOfOrderCallbacks() implements Fault {}
}
