package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Stream tokens: single use, bound to one CallSid, valid for five minutes. */
class MediaTokensTest {

  static final URI BASE = URI.create("https://parley.example.test");

  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-11-25T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final MediaTokens tokens = new MediaTokens(clock);

  @Test
  void aTokenAdmitsItsCallOnceWithTheBaseItWasIssuedFor() {
    UUID call = UUID.randomUUID();
    String token = tokens.issue(call, "CA1", BASE);

    assertThat(tokens.redeem(token, "CA1")).contains(new MediaTokens.Admission(call, BASE));
    assertThat(tokens.redeem(token, "CA1")).isEmpty();
  }

  @Test
  void tokensAreLongRandomAndDistinct() {
    UUID call = UUID.randomUUID();
    String first = tokens.issue(call, "CA1", BASE);
    String second = tokens.issue(call, "CA1", BASE);

    assertThat(first).matches("[0-9a-f]{48}").isNotEqualTo(second);
    // A retried webhook gets a second token; either one admits the call, once.
    assertThat(tokens.redeem(second, "CA1")).isPresent();
    assertThat(tokens.redeem(first, "CA1")).isPresent();
  }

  @Test
  void aTokenPresentedForAnotherCallSidIsRefusedAndSpent() {
    String token = tokens.issue(UUID.randomUUID(), "CA1", BASE);

    assertThat(tokens.redeem(token, "CA2")).isEmpty();
    assertThat(tokens.redeem(token, "CA1")).isEmpty();
  }

  @Test
  void aTokenExpiresAfterFiveMinutes() {
    String fresh = tokens.issue(UUID.randomUUID(), "CA1", BASE);
    String stale = tokens.issue(UUID.randomUUID(), "CA2", BASE);

    clock.now = clock.now.plus(MediaTokens.LIFETIME);
    assertThat(tokens.redeem(fresh, "CA1")).as("valid up to the last instant").isPresent();
    clock.now = clock.now.plus(Duration.ofMillis(1));
    assertThat(tokens.redeem(stale, "CA2")).isEmpty();
  }

  @Test
  void unknownOrMissingTokensAdmitNothing() {
    tokens.issue(UUID.randomUUID(), "CA1", BASE);

    assertThat(tokens.redeem(null, "CA1")).isEmpty();
    assertThat(tokens.redeem("", "CA1")).isEmpty();
    assertThat(tokens.redeem("0".repeat(48), "CA1")).isEmpty();
  }
}
