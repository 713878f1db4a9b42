package io.parley.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The {@code PARLEY_JOBS_*} variables the README promises, their defaults and limits. */
class JobSettingsTest {

  @Test
  void environmentVariablesBind() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                "test-env",
                Map.of(
                    "PARLEY_JOBS_POLL_INTERVAL", "250ms",
                    "PARLEY_JOBS_CONCURRENCY", "8",
                    "PARLEY_JOBS_LEASE", "2m",
                    "PARLEY_JOBS_MAX_ATTEMPTS", "7",
                    "PARLEY_JOBS_RETRY_BACKOFF", "30s",
                    "PARLEY_JOBS_MAX_RETRY_BACKOFF", "6h",
                    "PARLEY_JOBS_SHUTDOWN_WAIT", "30s")));
    JobSettings settings =
        new Binder(ConfigurationPropertySources.get(env))
            .bind("parley.jobs", JobSettings.class)
            .get();
    assertThat(settings)
        .isEqualTo(
            new JobSettings(
                Duration.ofMillis(250),
                8,
                Duration.ofMinutes(2),
                7,
                Duration.ofSeconds(30),
                Duration.ofHours(6),
                Duration.ofSeconds(30)));
  }

  @Test
  void defaults() {
    assertThat(new JobSettings(null, null, null, null, null, null, null))
        .isEqualTo(
            new JobSettings(
                Duration.ofSeconds(1),
                4,
                Duration.ofSeconds(60),
                5,
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                Duration.ofSeconds(10)));
  }

  @Test
  void theBackoffDoublesAfterEachFailureUpToItsCeiling() {
    JobSettings settings =
        new JobSettings(null, null, null, 50, Duration.ofSeconds(10), Duration.ofMinutes(1), null);
    assertThat(List.of(1, 2, 3, 4, 5, 40).stream().map(settings::backoffAfter))
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(40),
            Duration.ofMinutes(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(1));
  }

  @Test
  void nonsenseIsRefusedAtStartUp() {
    assertThatThrownBy(() -> new JobSettings(Duration.ZERO, null, null, null, null, null, null))
        .hasMessageContaining("PARLEY_JOBS_POLL_INTERVAL");
    assertThatThrownBy(() -> new JobSettings(null, 0, null, null, null, null, null))
        .hasMessageContaining("PARLEY_JOBS_CONCURRENCY");
    assertThatThrownBy(
            () -> new JobSettings(null, null, Duration.ofSeconds(1), null, null, null, null))
        .hasMessageContaining("PARLEY_JOBS_LEASE");
    assertThatThrownBy(() -> new JobSettings(null, null, null, 0, null, null, null))
        .hasMessageContaining("PARLEY_JOBS_MAX_ATTEMPTS");
    assertThatThrownBy(
            () ->
                new JobSettings(
                    null, null, null, null, Duration.ofMinutes(5), Duration.ofMinutes(1), null))
        .hasMessageContaining("PARLEY_JOBS_MAX_RETRY_BACKOFF");
    assertThatThrownBy(
            () -> new JobSettings(null, null, null, null, null, null, Duration.ofSeconds(-1)))
        .hasMessageContaining("PARLEY_JOBS_SHUTDOWN_WAIT");
  }

  @Test
  void twoHandlersOfOneKindAreRefused() {
    JobHandler one = handler("callback");
    JobHandler two = handler("callback");
    assertThatThrownBy(() -> new JobHandlers(List.of(one, two)))
        .hasMessageContaining("Two job handlers for kind 'callback'");
    assertThat(new JobHandlers(List.of(one, handler("retention"))).kinds())
        .containsExactlyInAnyOrder("callback", "retention");
  }

  private static JobHandler handler(String kind) {
    return new JobHandler() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public void run(Job job) {}
    };
  }
}
