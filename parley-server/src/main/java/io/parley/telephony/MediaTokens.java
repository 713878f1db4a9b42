package io.parley.telephony;

import io.parley.database.ExpiringRows;
import io.parley.nodes.NodeIdentity;
import io.parley.shared.SecretHash;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Single-use tokens that let one media socket join one call. The voice webhook (signed by Twilio)
 * issues a token inside the TwiML; the socket must present it in the stream's {@code start}
 * message. A token works once, only for the CallSid it was issued for and only for five minutes, so
 * a leaked TwiML document cannot be used to inject or listen to audio.
 *
 * <p>Tokens live in the database ({@code media_stream_token}), so the socket may reach any node
 * behind the load balancer, not only the one that answered the webhook. Only their SHA-256 is
 * stored: the table admits nobody. Redemption is one guarded {@code UPDATE} whose row count decides
 * the single winner, on every vendor. Every method blocks on the database: never call one on a
 * media loop ({@link StreamAdmissions} runs redemptions on virtual threads).
 */
@Component
class MediaTokens implements ExpiringRows {

  static final Duration LIFETIME = Duration.ofMinutes(5);

  /** What the voice webhook hands out: 24 random bytes in hex. Anything else is refused unread. */
  private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{48}");

  /** What a valid token admits: the call, and the public base URL its webhook was reached at. */
  record Admission(UUID callId, URI base) {}

  private final SecureRandom random = new SecureRandom();
  private final JdbcClient jdbc;
  private final Clock clock;
  private final NodeIdentity node;

  MediaTokens(JdbcClient jdbc, Clock clock, NodeIdentity node) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.node = node;
  }

  /** A fresh token for the call's stream; only its hash is stored. */
  String issue(UUID callId, String callSid, URI base) {
    Instant now = clock.instant();
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    jdbc.sql(
            "INSERT INTO media_stream_token (token_hash, call_id, call_sid, base_url, issued_by,"
                + " issued_at, expires_at) VALUES (:hash, :call, :sid, :base, :node, :now,"
                + " :expires)")
        .param("hash", hash(token))
        .param("call", callId)
        .param("sid", callSid)
        .param("base", base.toString())
        .param("node", node.id())
        .param("now", Timestamp.from(now))
        .param("expires", Timestamp.from(now.plus(LIFETIME)))
        .update();
    return token;
  }

  /**
   * The call the token was issued for, when it is valid, unused and names the same CallSid; the
   * token is spent either way. Of concurrent redeemers on any nodes exactly one gets the call: the
   * {@code UPDATE} only matches an unused row, and the database lets one transaction change it.
   */
  Optional<Admission> redeem(String token, String callSid) {
    if (token == null || !SHAPE.matcher(token).matches()) {
      return Optional.empty();
    }
    String hash = hash(token);
    Instant now = clock.instant();
    int spent =
        jdbc.sql(
                "UPDATE media_stream_token SET used_at = :now, redeemed_by = :node"
                    + " WHERE token_hash = :hash AND used_at IS NULL AND expires_at >= :now")
            .param("now", Timestamp.from(now))
            .param("node", node.id())
            .param("hash", hash)
            .update();
    if (spent != 1) {
      return Optional.empty();
    }
    return jdbc.sql(
            "SELECT call_id, call_sid, base_url FROM media_stream_token WHERE token_hash = :hash")
        .param("hash", hash)
        .query(
            (rs, row) ->
                rs.getString("call_sid").equals(callSid)
                    ? Optional.of(
                        new Admission(
                            UUID.fromString(rs.getString("call_id")),
                            URI.create(rs.getString("base_url"))))
                    : Optional.<Admission>empty())
        .optional()
        .flatMap(admission -> admission);
  }

  @Override
  public String what() {
    return "stream tokens";
  }

  @Override
  public int purgeExpired() {
    return jdbc.sql("DELETE FROM media_stream_token WHERE expires_at < :now")
        .param("now", Timestamp.from(clock.instant()))
        .update();
  }

  /** SHA-256 in hex: the tokens are 192 random bits, so no salt or slow hash is needed. */
  static String hash(String token) {
    return SecretHash.sha256Hex(token);
  }
}
