package io.parley.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

@DbTest
class DncRepositoryTest {

  private static final UUID ORG = Organisations.DEFAULT_ID;
  private static final Actor ACTOR = new Actor(UUID.randomUUID(), "ops@example.com");

  @Autowired DncRepository repository;
  @Autowired TransactionTemplate transactions;
  @Autowired DataSource dataSource;

  @BeforeEach
  void clean() {
    DatabaseCleaner.clean(dataSource);
  }

  @Test
  void aRefusedDuplicateLeavesTheTransactionUsable() {
    DncEntry first = entry("+14155550123");

    DncEntry found =
        transactions.execute(
            status -> {
              repository.insert(ORG, first);
              assertThatThrownBy(() -> repository.insert(ORG, entry("+14155550123")))
                  .isInstanceOf(DuplicateKeyException.class);
              // PostgreSQL aborts a transaction on a failed statement unless it ran in a savepoint.
              return repository.findActive(ORG, "+14155550123", true).orElseThrow();
            });

    assertThat(found).isEqualTo(first);
    assertThat(repository.isBlocked(ORG, "+14155550123")).isTrue();
  }

  @Test
  void aRemovedEntryNoLongerCollidesWithANewOne() {
    DncEntry first = entry("+14155550123");
    repository.insert(ORG, first);
    assertThat(repository.remove(ORG, first.id(), ACTOR, "consent", Instant.now())).isTrue();
    assertThat(repository.remove(ORG, first.id(), ACTOR, "again", Instant.now())).isFalse();

    DncEntry second = entry("+14155550123");
    repository.insert(ORG, second);

    assertThat(repository.findActive(ORG, "+14155550123", false)).contains(second);
    assertThatThrownBy(() -> repository.insert(ORG, entry("+14155550123")))
        .isInstanceOf(DuplicateKeyException.class);
  }

  private static DncEntry entry(String number) {
    return new DncEntry(
        UUID.randomUUID(),
        number,
        DncSource.MANUAL,
        null,
        null,
        Instant.now().truncatedTo(ChronoUnit.MICROS),
        ACTOR,
        null,
        null,
        null);
  }
}
