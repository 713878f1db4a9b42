package io.parley.calls;

import io.parley.auth.SignIns.SignIn;
import io.parley.auth.SigningKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Signed recording links: {@code expires} (epoch seconds), {@code user} and {@code tv} (the sign-in
 * that asked for the link) and {@code sig}, an HMAC-SHA256 over the call id and those three under a
 * key of its own ({@link SigningKeys}), base64url. Unlike a ticket a link is not spent: a browser's
 * {@code <audio>} asks for the file several times (a range per seek) within the link's five
 * minutes. Nothing is stored, so any node verifies a link made on another. A refusal is one 403
 * whatever the reason; the reason is logged at INFO, never the signature.
 */
@Component
class RecordingLinks {

  private static final Logger log = LoggerFactory.getLogger(RecordingLinks.class);

  static final Duration LIFETIME = Duration.ofMinutes(5);
  static final String PURPOSE = "recording-audio";
  private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern NUMBER = Pattern.compile("\\d{1,12}");

  private final SigningKeys keys;
  private final Clock clock;

  RecordingLinks(SigningKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** A link's query and when it stops working. */
  record Link(String query, Instant expiresAt) {}

  /** What a valid link says: the sign-in it was issued to. */
  record Holder(SignIn signIn, Instant expiresAt) {}

  Link issue(UUID callId, SignIn signIn) {
    Instant expires = clock.instant().plus(LIFETIME);
    long seconds = expires.getEpochSecond();
    String sig =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(keys.sign(PURPOSE, message(callId, signIn, seconds)));
    return new Link(
        "expires="
            + seconds
            + "&user="
            + signIn.userId()
            + "&tv="
            + signIn.tokenVersion()
            + "&sig="
            + sig,
        Instant.ofEpochSecond(seconds));
  }

  /**
   * The sign-in a link was issued to, if the link is whole, signed for this call and not expired;
   * otherwise {@link LinkRefused}. Whether the sign-in still stands is for the caller to check.
   */
  Holder verify(UUID callId, String expires, String user, String tokenVersion, String sig) {
    if (expires == null
        || !NUMBER.matcher(expires).matches()
        || user == null
        || tokenVersion == null
        || !NUMBER.matcher(tokenVersion).matches()
        || sig == null
        || !SIGNATURE.matcher(sig).matches()) {
      return refuse(callId, "incomplete or malformed");
    }
    UUID userId;
    try {
      userId = UUID.fromString(user);
    } catch (IllegalArgumentException notAnId) {
      return refuse(callId, "incomplete or malformed");
    }
    long seconds = Long.parseLong(expires);
    SignIn signIn = new SignIn(userId, Integer.parseInt(tokenVersion));
    if (!keys.verify(
        PURPOSE, message(callId, signIn, seconds), Base64.getUrlDecoder().decode(sig))) {
      return refuse(callId, "bad signature");
    }
    Instant expiresAt = Instant.ofEpochSecond(seconds);
    if (!clock.instant().isBefore(expiresAt)) {
      return refuse(callId, "expired");
    }
    return new Holder(signIn, expiresAt);
  }

  private static Holder refuse(UUID callId, String why) {
    log.info("Refused a recording link for call {}: {}", callId, why);
    throw new LinkRefused();
  }

  /** What is signed: every part of the link but the signature, with the call it opens. */
  private static String message(UUID callId, SignIn signIn, long expires) {
    return callId + "|" + signIn.userId() + "|" + signIn.tokenVersion() + "|" + expires;
  }
}
