package io.parley.telephony;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * How many calls this node carries at once ({@code PARLEY_MAX_CONCURRENT_CALLS}). A call takes a
 * place when it is answered (inbound) or dialled (outbound) and gives it back when its media stream
 * ends or the carrier reports it over; giving back twice is harmless. A place held far longer than
 * any call may last (a lost callback) expires, so the cap never fills with ghosts.
 */
@Component
public class CallCapacity {

  /** {@code reason} of {@code parley.calls.refused}: the node carries as many calls as it may. */
  public static final String AT_CAP = "capacity";

  /** {@code reason} of {@code parley.calls.refused}: the node's media loops lag (MediaLoad). */
  public static final String OVERLOADED = "overloaded";

  /** Longer than the longest allowed call (4 h) plus ringing. */
  static final Duration STALE_AFTER = Duration.ofHours(5);

  private final int limit;
  private final Clock clock;
  private final ConcurrentHashMap<UUID, Instant> held = new ConcurrentHashMap<>();

  CallCapacity(TelephonySettings settings, Clock clock) {
    this.limit = settings.maxConcurrentCalls();
    this.clock = clock;
  }

  /** Takes a place for the call; false when the cap is reached. Idempotent per call. */
  public synchronized boolean tryAcquire(UUID callId) {
    if (held.containsKey(callId)) {
      return true;
    }
    Instant now = clock.instant();
    held.values().removeIf(since -> since.plus(STALE_AFTER).isBefore(now));
    if (held.size() >= limit) {
      return false;
    }
    held.put(callId, now);
    return true;
  }

  /**
   * Hands a place taken under a reservation id (the call's record, and so its id, did not exist
   * yet) to the call. Atomic with {@link #tryAcquire}: no other call can take the place in between.
   * A reservation that holds no place is ignored.
   */
  public synchronized void transfer(UUID reservation, UUID callId) {
    Instant since = held.remove(reservation);
    if (since != null) {
      held.put(callId, since);
    }
  }

  /** Gives the call's place back; a call that holds none is ignored. */
  public void release(UUID callId) {
    held.remove(callId);
  }

  /** Calls holding a place now. */
  public int active() {
    return held.size();
  }

  public int limit() {
    return limit;
  }

  /**
   * The counter of new calls this node refused for want of room: {@code parley.calls.refused}
   * tagged {@code direction} ({@code inbound}, {@code outbound}) and {@code reason} ({@link
   * #AT_CAP}, {@link #OVERLOADED}).
   */
  public static Counter refusals(MeterRegistry meters, String direction, String reason) {
    return Counter.builder("parley.calls.refused")
        .description("new calls refused because this node had no room for them")
        .tag("direction", direction)
        .tag("reason", reason)
        .register(meters);
  }
}
