package io.parley.telephony;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Single-use tokens that let one media socket join one call. The voice webhook (signed by Twilio)
 * issues a token inside the TwiML; the socket must present it in the stream's {@code start}
 * message. A token works once and only for a few minutes, so a leaked TwiML document cannot be used
 * to inject or listen to audio. Tokens live in this node's memory: the socket must reach the node
 * that answered the webhook (sticky routing when several nodes run).
 */
@Component
class MediaTokens {

  static final Duration LIFETIME = Duration.ofMinutes(5);

  private record Issued(UUID callId, String callSid, URI base, Instant expires) {}

  /** What a valid token admits: the call, and the public base URL its webhook was reached at. */
  record Admission(UUID callId, URI base) {}

  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final ConcurrentHashMap<String, Issued> issued = new ConcurrentHashMap<>();

  MediaTokens(Clock clock) {
    this.clock = clock;
  }

  /** A fresh token for the call's stream. */
  String issue(UUID callId, String callSid, URI base) {
    Instant now = clock.instant();
    issued.values().removeIf(t -> t.expires().isBefore(now));
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    issued.put(token, new Issued(callId, callSid, base, now.plus(LIFETIME)));
    return token;
  }

  /**
   * The call the token was issued for, when it is valid, unused and names the same CallSid; the
   * token is spent either way.
   */
  Optional<Admission> redeem(String token, String callSid) {
    if (token == null) {
      return Optional.empty();
    }
    Issued found = issued.remove(token);
    if (found == null
        || found.expires().isBefore(clock.instant())
        || !found.callSid().equals(callSid)) {
      return Optional.empty();
    }
    return Optional.of(new Admission(found.callId(), found.base()));
  }
}
