package io.parley.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpiredRowsPurgeTest {

  private final List<String> purged = new ArrayList<>();

  private ExpiringRows table(String what, RuntimeException failure) {
    return new ExpiringRows() {
      @Override
      public String what() {
        return what;
      }

      @Override
      public int purgeExpired() {
        if (failure != null) {
          throw failure;
        }
        purged.add(what);
        return 1;
      }
    };
  }

  @Test
  void purgesEveryTableAndOneTablesFailureDoesNotStopTheOthers() {
    ExpiredRowsPurge purge =
        new ExpiredRowsPurge(
            List.of(
                table("stream tokens", null),
                table("broken", new IllegalStateException("database down")),
                table("tickets", null)));

    purge.purge();

    assertThat(purged).containsExactly("stream tokens", "tickets");
  }

  @Test
  void runsOnlyBetweenStartAndStop() {
    ExpiredRowsPurge purge = new ExpiredRowsPurge(List.of());
    assertThat(purge.isRunning()).isFalse();
    purge.start();
    assertThat(purge.isRunning()).isTrue();
    purge.stop();
    assertThat(purge.isRunning()).isFalse();
  }
}
