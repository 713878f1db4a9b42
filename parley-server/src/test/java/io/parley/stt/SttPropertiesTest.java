package io.parley.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class SttPropertiesTest {

  @Test
  void defaultsFollowDeepgramsAdvice() {
    SttProperties defaults = SttProperties.defaults();
    assertThat(defaults.keepAlive()).isEqualTo(Duration.ofSeconds(4));
    assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.sendTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.reconnectAttempts()).isEqualTo(5);
    assertThat(defaults.replayBuffer()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.replayBytes()).isEqualTo(80_000);
    assertThat(defaults.sendQueueFrames()).isEqualTo(500);
    assertThat(defaults.finishTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theFirstReconnectIsImmediateThenTheBackoffDoublesUpToItsCeiling() {
    SttProperties p = SttProperties.defaults();
    assertThat(p.backoff(1)).isZero();
    assertThat(p.backoff(2)).isEqualTo(Duration.ofMillis(250));
    assertThat(p.backoff(3)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.backoff(4)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.backoff(5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.backoff(60)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void environmentVariablesBind() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                "env",
                Map.of(
                    "PARLEY_STT_KEEP_ALIVE", "3s",
                    "PARLEY_STT_RECONNECT_ATTEMPTS", "7",
                    "PARLEY_STT_REPLAY_BUFFER", "20s")));
    ConfigurationPropertySources.attach(environment);

    SttProperties bound = Binder.get(environment).bind("parley.stt", SttProperties.class).get();

    assertThat(bound.keepAlive()).isEqualTo(Duration.ofSeconds(3));
    assertThat(bound.reconnectAttempts()).isEqualTo(7);
    assertThat(bound.replayBytes()).isEqualTo(160_000);
    assertThat(bound.finishTimeout()).isEqualTo(Duration.ofSeconds(5));
  }
}
