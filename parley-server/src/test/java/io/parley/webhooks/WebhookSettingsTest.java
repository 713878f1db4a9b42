package io.parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Defaults, the backoff, and the prod profile's refusal of the loopback setting. */
class WebhookSettingsTest {

  @Test
  void defaultsRetryForADayWithADoublingBackoffCappedAtAnHour() {
    WebhookSettings settings = WebhookSettings.defaults();
    assertThat(settings.allowLoopback()).isFalse();
    assertThat(settings.retryFor()).isEqualTo(Duration.ofHours(24));
    assertThat(settings.disableAfter()).isEqualTo(Duration.ofHours(24));
    assertThat(settings.backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.backoffAfter(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.backoffAfter(9)).isEqualTo(Duration.ofSeconds(2560));
    assertThat(settings.backoffAfter(10)).isEqualTo(Duration.ofHours(1));
    assertThat(settings.backoffAfter(40)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void refusesBackoffsThatCannotWork() {
    assertThatThrownBy(() -> new WebhookSettings(null, null, null, Duration.ZERO, null))
        .hasMessageContaining("PARLEY_WEBHOOKS_RETRY_BACKOFF");
    assertThatThrownBy(
            () ->
                new WebhookSettings(null, null, null, Duration.ofMinutes(5), Duration.ofMinutes(1)))
        .hasMessageContaining("PARLEY_WEBHOOKS_MAX_RETRY_BACKOFF");
  }

  @Test
  void theProdProfileRefusesLoopback() {
    MockEnvironment prod = new MockEnvironment();
    prod.setActiveProfiles("prod");
    WebhookSettings loopback = new WebhookSettings(true, null, null, null, null);
    assertThatThrownBy(() -> new LoopbackRefusedInProduction(loopback, prod))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PARLEY_WEBHOOKS_ALLOW_LOOPBACK");
    new LoopbackRefusedInProduction(WebhookSettings.defaults(), prod);
    new LoopbackRefusedInProduction(loopback, new MockEnvironment());
  }
}
