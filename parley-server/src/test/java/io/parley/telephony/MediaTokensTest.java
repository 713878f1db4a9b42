package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.nodes.NodeIdentity;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import io.parley.support.ManualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stream tokens on the real database: single use, bound to one CallSid, valid for five minutes,
 * redeemable on any node, stored only as a hash.
 */
@DbTest
class MediaTokensTest {

  static final URI BASE = URI.create("https://parley.example.test");

  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;

  private final ManualClock clock = new ManualClock("2026-11-25T10:00:00Z");
  private MediaTokens tokens;

  private MediaTokens onNode(String id) {
    return new MediaTokens(
        jdbc, clock, new NodeIdentity(id, UUID.randomUUID(), clock.instant(), "host", 1, null));
  }

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    tokens = onNode("node-a");
  }

  @Test
  void aTokenAdmitsItsCallOnceWithTheBaseItWasIssuedFor() {
    UUID call = UUID.randomUUID();
    String token = tokens.issue(call, "CA1", BASE);

    assertThat(tokens.redeem(token, "CA1")).contains(new MediaTokens.Admission(call, BASE));
    assertThat(tokens.redeem(token, "CA1")).isEmpty();
  }

  @Test
  void aTokenIssuedOnOneNodeAdmitsTheCallOnAnotherOnce() {
    UUID call = UUID.randomUUID();
    String token = onNode("node-a").issue(call, "CA1", BASE);

    assertThat(onNode("node-b").redeem(token, "CA1"))
        .contains(new MediaTokens.Admission(call, BASE));
    assertThat(onNode("node-a").redeem(token, "CA1")).isEmpty();
    assertThat(
            jdbc.sql("SELECT issued_by, redeemed_by FROM media_stream_token")
                .query((rs, row) -> rs.getString(1) + ">" + rs.getString(2))
                .single())
        .isEqualTo("node-a>node-b");
  }

  @Test
  void onlyTheTokensSha256IsStored() throws Exception {
    String token = tokens.issue(UUID.randomUUID(), "CA1", BASE);

    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
    Map<String, Object> row = jdbc.sql("SELECT * FROM media_stream_token").query().singleRow();
    assertThat(row.get("token_hash")).isEqualTo(expected);
    assertThat(row.values()).noneMatch(value -> String.valueOf(value).contains(token));
  }

  @Test
  void ofManyConcurrentRedeemersOnSeveralNodesExactlyOneGetsTheCall() throws Exception {
    int redeemers = 12;
    for (int round = 0; round < 10; round++) {
      UUID call = UUID.randomUUID();
      String token = tokens.issue(call, "CA" + round, BASE);
      CyclicBarrier together = new CyclicBarrier(redeemers);
      List<Future<Optional<MediaTokens.Admission>>> attempts = new ArrayList<>();
      String callSid = "CA" + round;
      try (ExecutorService threads = Executors.newFixedThreadPool(redeemers)) {
        for (int i = 0; i < redeemers; i++) {
          MediaTokens node = onNode("node-" + i);
          attempts.add(
              threads.submit(
                  () -> {
                    together.await();
                    return node.redeem(token, callSid);
                  }));
        }
      }
      List<Optional<MediaTokens.Admission>> results = new ArrayList<>();
      for (var attempt : attempts) {
        results.add(attempt.get());
      }
      assertThat(results.stream().filter(Optional::isPresent).toList())
          .as("round %d", round)
          .containsExactly(Optional.of(new MediaTokens.Admission(call, BASE)));
    }
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

    clock.advance(MediaTokens.LIFETIME);
    assertThat(tokens.redeem(fresh, "CA1")).as("valid up to the last instant").isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(tokens.redeem(stale, "CA2")).isEmpty();
  }

  @Test
  void unknownOrMissingTokensAdmitNothing() {
    tokens.issue(UUID.randomUUID(), "CA1", BASE);

    assertThat(tokens.redeem(null, "CA1")).isEmpty();
    assertThat(tokens.redeem("", "CA1")).isEmpty();
    assertThat(tokens.redeem("0".repeat(48), "CA1")).isEmpty();
    assertThat(tokens.redeem("' OR 1=1 --", "CA1")).isEmpty();
  }

  @Test
  void expiredTokensArePurgedUsedOrNotAndLiveOnesKept() {
    String used = tokens.issue(UUID.randomUUID(), "CA1", BASE);
    tokens.redeem(used, "CA1");
    tokens.issue(UUID.randomUUID(), "CA2", BASE);
    clock.advance(Duration.ofMinutes(2));
    String live = tokens.issue(UUID.randomUUID(), "CA3", BASE);

    clock.advance(MediaTokens.LIFETIME.minus(Duration.ofMinutes(1)));
    assertThat(tokens.purgeExpired()).isEqualTo(2);

    assertThat(jdbc.sql("SELECT COUNT(*) FROM media_stream_token").query(Long.class).single())
        .isEqualTo(1);
    assertThat(tokens.redeem(live, "CA3")).isPresent();
  }
}
