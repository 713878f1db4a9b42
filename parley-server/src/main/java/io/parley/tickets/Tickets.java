package io.parley.tickets;

import io.parley.auth.SignIns;
import io.parley.auth.SignIns.SignIn;
import io.parley.database.ExpiringRows;
import io.parley.shared.LogSafe;
import io.parley.shared.SecretHash;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Issues and redeems tickets. A ticket is 256 random bits, base64url; only its SHA-256 is stored,
 * so the table admits nobody. It works once, for its purpose, until 60 seconds after it was issued,
 * and only while its user's access tokens would still work: disabling the account or revoking its
 * tokens (logout, password or role change) after the ticket was issued kills the ticket too.
 *
 * <p>Redemption is one guarded {@code UPDATE} whose row count decides the single winner on every
 * vendor, then the user check. Refusals are one {@link TicketRefused} (401) whatever the reason;
 * the reason is logged at INFO, never the ticket. Every method blocks on the database.
 */
@Service
public class Tickets implements ExpiringRows {

  private static final Logger log = LoggerFactory.getLogger(Tickets.class);

  static final Duration LIFETIME = Duration.ofSeconds(60);

  /** What {@link #issue} hands out: 32 random bytes, base64url without padding. */
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final SecureRandom random = new SecureRandom();
  private final JdbcClient jdbc;
  private final Clock clock;
  private final SignIns signIns;

  Tickets(JdbcClient jdbc, Clock clock, SignIns signIns) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.signIns = signIns;
  }

  /** A fresh ticket for the signed-in user; only its hash is stored. */
  IssuedTicket issue(SignIn signIn, TicketPurpose purpose, String resource) {
    Instant now = clock.instant();
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant expires = now.plus(LIFETIME);
    jdbc.sql(
            "INSERT INTO ticket (id, token_hash, user_id, token_version, purpose, resource,"
                + " issued_at, expires_at) VALUES (:id, :hash, :user, :version, :purpose,"
                + " :resource, :now, :expires)")
        .param("id", UUID.randomUUID())
        .param("hash", hash(ticket))
        .param("user", signIn.userId())
        .param("version", signIn.tokenVersion())
        .param("purpose", purpose.wire())
        .param("resource", resource, Types.VARCHAR)
        .param("now", Timestamp.from(now))
        .param("expires", Timestamp.from(expires))
        .update();
    return new IssuedTicket(ticket, purpose, expires);
  }

  /**
   * Spends the ticket for this purpose and returns its holder; throws {@link TicketRefused} (401)
   * when it is unknown, used, expired, for another purpose (it is then not spent), or its user has
   * since been disabled or signed out. Of concurrent redeemers on any nodes exactly one succeeds.
   *
   * @throws IllegalArgumentException for a purpose bound to one resource: use {@link
   *     #redeem(String, TicketPurpose, String)}
   */
  public TicketHolder redeem(String ticket, TicketPurpose purpose) {
    if (purpose.bound()) {
      throw new IllegalArgumentException(purpose.wire() + " tickets are redeemed for a resource");
    }
    return spend(ticket, purpose, null);
  }

  /**
   * Spends a ticket of a purpose bound to one resource, as {@link #redeem(String, TicketPurpose)}
   * does, for {@code resource} (e.g. the campaign id of the URL, as {@code UUID.toString()} spells
   * it): a ticket issued for another resource is refused like one of another purpose, and not
   * spent.
   */
  public TicketHolder redeem(String ticket, TicketPurpose purpose, String resource) {
    if (!purpose.bound() || resource == null) {
      throw new IllegalArgumentException(purpose.wire() + " tickets are not redeemed for one");
    }
    return spend(ticket, purpose, resource);
  }

  private TicketHolder spend(String ticket, TicketPurpose purpose, String resource) {
    if (ticket == null || !SHAPE.matcher(ticket).matches()) {
      log.info("Refused a {} ticket: not a ticket", purpose.wire());
      throw new TicketRefused();
    }
    String hash = hash(ticket);
    Instant now = clock.instant();
    JdbcClient.StatementSpec spend =
        jdbc.sql(
                "UPDATE ticket SET used_at = :now WHERE token_hash = :hash AND used_at IS NULL"
                    + " AND expires_at > :now AND purpose = :purpose"
                    + (resource == null ? "" : " AND resource = :resource"))
            .param("now", Timestamp.from(now))
            .param("hash", hash)
            .param("purpose", purpose.wire());
    if (resource != null) {
      spend = spend.param("resource", resource);
    }
    int spent = spend.update();
    Optional<Row> row =
        jdbc.sql(
                "SELECT user_id, token_version, purpose, resource, expires_at, used_at FROM ticket"
                    + " WHERE token_hash = :hash")
            .param("hash", hash)
            .query(
                (rs, n) ->
                    new Row(
                        UUID.fromString(rs.getString("user_id")),
                        rs.getInt("token_version"),
                        rs.getString("purpose"),
                        rs.getString("resource"),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("used_at") != null))
            .optional();
    if (spent != 1 || row.isEmpty()) {
      log.info(
          "Refused a {} ticket: {}",
          purpose.wire(),
          row.map(r -> r.why(purpose, resource, now)).orElse("unknown"));
      throw new TicketRefused();
    }
    SignIn signIn = new SignIn(row.get().userId(), row.get().tokenVersion());
    if (!signIns.stillValid(signIn)) {
      log.info(
          "Refused a {} ticket of user {}: the account was disabled or its tokens revoked since it"
              + " was issued",
          purpose.wire(),
          signIn.userId());
      throw new TicketRefused();
    }
    return new TicketHolder(signIn.userId(), row.get().resource());
  }

  @Override
  public String what() {
    return "tickets";
  }

  @Override
  public int purgeExpired() {
    return jdbc.sql("DELETE FROM ticket WHERE expires_at < :now")
        .param("now", Timestamp.from(clock.instant()))
        .update();
  }

  /**
   * The headers of every answer that carries or takes a ticket: nothing may be cached, and a page
   * opened from the stream's URL must not send that URL on as a referrer.
   */
  public static void noStore(HttpHeaders headers) {
    headers.setCacheControl("no-store");
    headers.set("Referrer-Policy", "no-referrer");
  }

  /** SHA-256 in hex: tickets are 256 random bits, so no salt or slow hash is needed. */
  static String hash(String ticket) {
    return SecretHash.sha256Hex(ticket);
  }

  /** The stored ticket, read back after the spending update to name a refusal's reason. */
  private record Row(
      UUID userId,
      int tokenVersion,
      String purpose,
      String resource,
      Instant expiresAt,
      boolean used) {

    String why(TicketPurpose wanted, String wantedResource, Instant now) {
      if (!purpose.equals(wanted.wire())) {
        return "issued for " + purpose;
      }
      if (wantedResource != null && !wantedResource.equals(resource)) {
        // Ids, never secrets; the wanted one comes from a URL, so it is made log-safe.
        return "issued for " + resource + ", not " + LogSafe.text(wantedResource);
      }
      if (!expiresAt.isAfter(now)) {
        return "expired";
      }
      return used ? "already used" : "not spent";
    }
  }
}
