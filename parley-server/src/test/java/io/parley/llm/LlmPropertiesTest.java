package io.parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class LlmPropertiesTest {

  @Test
  void defaultsSuitAPhoneCall() {
    LlmProperties defaults = LlmProperties.defaults();
    assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.maxDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(defaults.maxRetryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.retryBackoff()).isEqualTo(Duration.ofMillis(250));
    assertThat(defaults.minRetryWindow()).isEqualTo(Duration.ofSeconds(1));
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
                    "PARLEY_LLM_IDLE_TIMEOUT", "3s",
                    "PARLEY_LLM_MAX_RETRY_AFTER", "1500ms",
                    "PARLEY_LLM_BASE_URL", "ignored")));
    ConfigurationPropertySources.attach(environment);

    LlmProperties bound = Binder.get(environment).bind("parley.llm", LlmProperties.class).get();

    assertThat(bound.idleTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(bound.maxRetryAfter()).isEqualTo(Duration.ofMillis(1500));
    assertThat(bound.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void plainPropertiesBindToo() {
    LlmProperties bound =
        new Binder(new MapConfigurationPropertySource(Map.of("parley.llm.retry-backoff", "100ms")))
            .bind("parley.llm", LlmProperties.class)
            .get();
    assertThat(bound.retryBackoff()).isEqualTo(Duration.ofMillis(100));
  }
}
