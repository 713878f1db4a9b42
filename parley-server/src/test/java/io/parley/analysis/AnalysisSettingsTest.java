package io.parley.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnalysisSettingsTest {

  @Test
  void defaultsAndBounds() {
    AnalysisSettings defaults = new AnalysisSettings(null, null, null);
    assertThat(defaults.concurrency()).isEqualTo(2);
    assertThat(defaults.firstTokenBudget()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.delay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(new AnalysisSettings(64, null, Duration.ZERO).delay()).isZero();

    assertThatThrownBy(() -> new AnalysisSettings(0, null, null))
        .hasMessageContaining("PARLEY_ANALYSIS_CONCURRENCY");
    assertThatThrownBy(() -> new AnalysisSettings(65, null, null))
        .hasMessageContaining("PARLEY_ANALYSIS_CONCURRENCY");
    assertThatThrownBy(() -> new AnalysisSettings(null, Duration.ZERO, null))
        .hasMessageContaining("PARLEY_ANALYSIS_FIRST_TOKEN_BUDGET");
    assertThatThrownBy(() -> new AnalysisSettings(null, null, Duration.ofSeconds(-1)))
        .hasMessageContaining("PARLEY_ANALYSIS_DELAY");
    assertThatThrownBy(() -> new AnalysisSettings(null, null, Duration.ofHours(2)))
        .hasMessageContaining("PARLEY_ANALYSIS_DELAY");
  }
}
