package io.parley.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class WindowHoursTest {

  @Test
  void readsStartAndEnd() {
    assertThat(WindowHours.parse("08:00-21:00"))
        .isEqualTo(new WindowHours(LocalTime.of(8, 0), LocalTime.of(21, 0)));
    assertThat(WindowHours.parse(" 8:30 - 20:00 "))
        .isEqualTo(new WindowHours(LocalTime.of(8, 30), LocalTime.of(20, 0)));
    assertThat(WindowHours.parse("09:00-17:00").toString()).isEqualTo("09:00-17:00");
  }

  @Test
  void refusesAnythingElseWithAMessageThatShowsTheExpectedForm() {
    for (String bad :
        new String[] {"", "8-21", "08:00", "08:00-25:00", "21:00-08:00", "08:00-08:00", "8h-9h"}) {
      assertThatThrownBy(() -> WindowHours.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PARLEY_CALLING_WINDOW must look like 08:00-21:00")
          .hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> WindowHours.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Configuration
  @EnableConfigurationProperties(CallingWindowProperties.class)
  static class PropertiesOnly {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class);

  @Test
  void defaultsToTheFederalHours() {
    runner.run(
        context ->
            assertThat(context.getBean(CallingWindowProperties.class).hours())
                .isEqualTo(WindowHours.parse("08:00-21:00")));
  }

  @Test
  void aBadSettingStopsTheStartWithTheReason() {
    runner
        .withPropertyValues("parley.calling-window=9am-5pm")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("PARLEY_CALLING_WINDOW must look like 08:00-21:00")
                  .hasMessageContaining("9am-5pm");
            });
  }

  @Test
  void aValidSettingIsUsed() {
    runner
        .withPropertyValues("parley.calling-window=08:00-20:00")
        .run(
            context ->
                assertThat(context.getBean(CallingWindowProperties.class).hours().end())
                    .isEqualTo(LocalTime.of(20, 0)));
  }
}
