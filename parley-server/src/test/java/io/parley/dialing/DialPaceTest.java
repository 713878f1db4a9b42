package io.parley.dialing;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The shared dial pace on a real database: two paces standing for two nodes book slots at once, and
 * no two slots anywhere are closer than the account's interval, nor a campaign's closer than its
 * own.
 */
@DbTest
class DialPaceTest {

  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactions;

  @BeforeEach
  void clean() {
    DatabaseCleaner.clean(dataSource);
  }

  DialPace node(String accountCps) {
    StaticListableBeanFactory clocks = new StaticListableBeanFactory();
    clocks.addBean("clock", Clock.systemUTC());
    return new DialPace(
        jdbc,
        transactions,
        new DialingSettings(new BigDecimal(accountCps), 0),
        clocks.getBeanProvider(Clock.class));
  }

  @Test
  void twoNodesBookingAtOnceNeverShareTheAccountsSlots() throws Exception {
    DialPace a = node("10");
    DialPace b = node("10");
    DialPace.Rate first = DialPace.Rate.campaign(UUID.randomUUID(), new BigDecimal("100"));
    DialPace.Rate second = DialPace.Rate.campaign(UUID.randomUUID(), new BigDecimal("100"));
    List<Instant> slots = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        DialPace pace = i % 2 == 0 ? a : b;
        DialPace.Rate rate = i % 4 < 2 ? first : second;
        done.add(
            pool.submit(
                () ->
                    slots.add(pace.reserve(List.of(rate), Duration.ofSeconds(30)).orElseThrow())));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    List<Instant> sorted = slots.stream().sorted().toList();
    assertThat(sorted).hasSize(40).doesNotHaveDuplicates();
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(Duration.between(sorted.get(i - 1), sorted.get(i)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
  }

  @Test
  void aCampaignSlowerThanTheAccountIsSpacedByItsOwnRate() {
    DialPace pace = node("100");
    DialPace.Rate slow = DialPace.Rate.campaign(UUID.randomUUID(), new BigDecimal("4"));
    Instant one = pace.reserve(List.of(slow), Duration.ofSeconds(30)).orElseThrow();
    Instant two = pace.reserve(List.of(slow), Duration.ofSeconds(30)).orElseThrow();
    Instant other = pace.reserve(List.of(), Duration.ofSeconds(30)).orElseThrow();
    assertThat(Duration.between(one, two)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    // A manual call is held by the account's pace only (slots are handed out in order, so it
    // comes after the campaign's last one), not by the campaign's.
    assertThat(Duration.between(two, other))
        .isGreaterThanOrEqualTo(Duration.ofMillis(10))
        .isLessThan(Duration.ofMillis(250));
  }

  @Test
  void aSlotTooFarAheadIsNotBookedAndAHoldPushesEveryDialBack() {
    DialPace pace = node("1");
    assertThat(pace.reserve(List.of(), Duration.ofSeconds(5))).isPresent();
    // The next slot is a second away: a caller that will not wait that long books nothing.
    assertThat(pace.reserve(List.of(), Duration.ofMillis(100))).isEmpty();
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    pace.holdAccount(until);
    Optional<Instant> after = pace.reserve(List.of(), Duration.ofSeconds(30));
    assertThat(after).isPresent();
    assertThat(after.get()).isAfterOrEqualTo(until.minusMillis(1));
  }
}
