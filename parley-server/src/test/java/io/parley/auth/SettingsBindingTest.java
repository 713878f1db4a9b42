package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The environment variables the docs promise bind to the settings records. */
class SettingsBindingTest {

  @Test
  void environmentVariablesBind() {
    Binder binder =
        binder(
            Map.of(
                "PARLEY_ACCESS_TOKEN_TTL", "5m",
                "PARLEY_REFRESH_TOKEN_TTL", "7d",
                "PARLEY_OPEN_REGISTRATION", "true",
                "PARLEY_TRUST_PROXY", "true",
                "PARLEY_LOGIN_MAX_FAILURES_PER_ACCOUNT", "3",
                "PARLEY_LOGIN_MAX_FAILURES_PER_ADDRESS", "9",
                "PARLEY_LOGIN_WINDOW", "2m",
                "PARLEY_LOGIN_MAX_TRACKED_KEYS", "50"));
    AuthSettings auth = binder.bind("parley", AuthSettings.class).get();
    assertThat(auth.accessTokenTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(auth.refreshTokenTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(auth.openRegistration()).isTrue();
    assertThat(auth.trustProxy()).isTrue();
    LoginLimits limits = binder.bind("parley.login", LoginLimits.class).get();
    assertThat(limits).isEqualTo(new LoginLimits(3, 9, Duration.ofMinutes(2), 50));
  }

  @Test
  void defaults() {
    AuthSettings auth = new AuthSettings(null, null, false, false);
    assertThat(auth.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(auth.refreshTokenTtl()).isEqualTo(Duration.ofDays(14));
    assertThat(new LoginLimits(null, null, null, null))
        .isEqualTo(new LoginLimits(5, 20, Duration.ofMinutes(15), 10_000));
  }

  private static Binder binder(Map<String, Object> environment) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", environment));
    return new Binder(ConfigurationPropertySources.get(env));
  }
}
