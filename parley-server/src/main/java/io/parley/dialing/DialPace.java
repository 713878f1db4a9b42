package io.parley.dialing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dial slots shared by every node through the database: a token bucket of size one per pace, so
 * calls leave evenly spaced and never in bursts. The Twilio account has one pace ({@code
 * PARLEY_TWILIO_CPS}, Twilio's default of one call per second) that every call Parley places takes
 * a slot of; each running campaign has its own as well. A reservation locks the pace rows it needs
 * (in key order, so two reservations cannot deadlock), takes the earliest instant that respects
 * every one of them, books it, and commits: no two dials anywhere share a slot.
 */
@Component
public class DialPace {

  /** The pace of the whole Twilio account. */
  static final String ACCOUNT = "account";

  private final JdbcClient jdbc;
  private final TransactionTemplate ownTransaction;
  private final BigDecimal accountRate;
  private final Clock clock;

  DialPace(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      DialingSettings settings,
      ObjectProvider<Clock> clock) {
    this.jdbc = jdbc;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.accountRate = settings.twilioCps();
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  /** A pace and the calls per second it allows. */
  public record Rate(String key, BigDecimal callsPerSecond) {

    /** The pace of a campaign. */
    public static Rate campaign(java.util.UUID campaignId, BigDecimal callsPerSecond) {
      return new Rate("campaign:" + campaignId, callsPerSecond);
    }

    Duration interval() {
      long micros =
          BigDecimal.valueOf(1_000_000)
              .divide(callsPerSecond, 0, RoundingMode.CEILING)
              .longValueExact();
      return Duration.of(micros, ChronoUnit.MICROS);
    }
  }

  /** The account-wide rate ({@code PARLEY_TWILIO_CPS}). */
  public BigDecimal accountRate() {
    return accountRate;
  }

  /**
   * Books the earliest slot that the account's pace and the given ones allow, unless it lies more
   * than {@code maxWait} ahead (then nothing is booked).
   *
   * @return the booked instant: the caller dials at that moment, not before
   */
  public Optional<Instant> reserve(List<Rate> rates, Duration maxWait) {
    List<Rate> all = withAccount(rates);
    for (Rate rate : all) {
      ensure(rate.key());
    }
    return ownTransaction.execute(
        status -> {
          Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
          Instant slot = now;
          for (Rate rate : all) {
            Instant earliest = earliest(rate);
            if (earliest.isAfter(slot)) {
              slot = earliest;
            }
          }
          if (Duration.between(now, slot).compareTo(maxWait) > 0) {
            return Optional.empty();
          }
          for (Rate rate : all) {
            jdbc.sql("UPDATE dial_pace SET last_at = :slot WHERE pace_key = :key")
                .param("slot", Timestamp.from(slot))
                .param("key", rate.key())
                .update();
          }
          return Optional.of(slot);
        });
  }

  /**
   * The earliest slot the account's pace and the given ones would give now, without booking it (a
   * look, not a reservation: another node may take it first).
   */
  public Instant nextSlot(List<Rate> rates) {
    Instant slot = clock.instant().truncatedTo(ChronoUnit.MICROS);
    for (Rate rate : withAccount(rates)) {
      Instant earliest = earliest(rate, false);
      if (earliest.isAfter(slot)) {
        slot = earliest;
      }
    }
    return slot;
  }

  /**
   * Holds every dial of the account until {@code until}: Twilio answered 429 (too many requests),
   * so all nodes back off, not only the one that was told.
   */
  public void holdAccount(Instant until) {
    ensure(ACCOUNT);
    jdbc.sql(
            "UPDATE dial_pace SET hold_until = :until WHERE pace_key = :key"
                + " AND (hold_until IS NULL OR hold_until < :until)")
        .param("until", Timestamp.from(until))
        .param("key", ACCOUNT)
        .update();
  }

  /**
   * Until when the account is held (Twilio answered 429), if that is still ahead: a dial whose slot
   * was booked before the hold must wait for it too.
   */
  public Optional<Instant> accountHeldUntil() {
    Instant now = clock.instant();
    return jdbc.sql("SELECT hold_until FROM dial_pace WHERE pace_key = :key")
        .param("key", ACCOUNT)
        .query((rs, row) -> Optional.ofNullable(instant(rs.getTimestamp(1))))
        .optional()
        .flatMap(held -> held)
        .filter(until -> until.isAfter(now));
  }

  /** Creates the pace's row if it has none yet (the first dial of a campaign). */
  public void ensure(Rate rate) {
    ensure(rate.key());
  }

  /** Forgets a campaign's pace (the campaign ended). */
  public void forget(Rate rate) {
    jdbc.sql("DELETE FROM dial_pace WHERE pace_key = :key").param("key", rate.key()).update();
  }

  // The earliest instant this pace allows, its row locked until the reservation commits.
  private Instant earliest(Rate rate) {
    return earliest(rate, true);
  }

  private Instant earliest(Rate rate, boolean lock) {
    PaceRow row =
        jdbc.sql(
                "SELECT last_at, hold_until FROM dial_pace WHERE pace_key = :key"
                    + (lock ? " FOR UPDATE" : ""))
            .param("key", rate.key())
            .query(
                (rs, n) ->
                    new PaceRow(
                        instant(rs.getTimestamp("last_at")),
                        instant(rs.getTimestamp("hold_until"))))
            .optional()
            .orElse(new PaceRow(null, null));
    Instant earliest = Instant.MIN;
    if (row.lastAt() != null) {
      earliest = row.lastAt().plus(rate.interval());
    }
    if (row.holdUntil() != null && row.holdUntil().isAfter(earliest)) {
      earliest = row.holdUntil();
    }
    return earliest;
  }

  private record PaceRow(Instant lastAt, Instant holdUntil) {}

  // The account's pace and the given ones, in key order (the order rows are locked in).
  private List<Rate> withAccount(List<Rate> rates) {
    return java.util.stream.Stream.concat(
            java.util.stream.Stream.of(new Rate(ACCOUNT, accountRate)), rates.stream())
        .sorted(Comparator.comparing(Rate::key))
        .toList();
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  // Rows appear on first use (a campaign's when it first dials); two nodes racing to create one
  // is harmless, the loser's insert is refused as a duplicate. Runs outside any transaction, so
  // the refused insert cannot spoil one (PostgreSQL aborts a transaction on any error).
  private void ensure(String key) {
    Integer found =
        jdbc.sql("SELECT COUNT(*) FROM dial_pace WHERE pace_key = :key")
            .param("key", key)
            .query(Integer.class)
            .single();
    if (found > 0) {
      return;
    }
    try {
      ownTransaction.executeWithoutResult(
          status ->
              jdbc.sql("INSERT INTO dial_pace (pace_key) VALUES (:key)")
                  .param("key", key)
                  .update());
    } catch (DuplicateKeyException e) {
      // Another node created it first.
    }
  }
}
