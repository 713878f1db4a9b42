package io.parley.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MediaLoopsTest {

  private final ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();

  @AfterEach
  void restoreTheLevelOtherTestsRunWith() {
    ResourceLeakDetector.setLevel(before);
  }

  @Test
  void setsNettysLeakDetectionFromTheSettingInAnyCase() {
    MediaLoops loops = new MediaLoops(1, 0, " Simple ", "auto");
    try {
      assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.SIMPLE);
    } finally {
      loops.destroy();
    }
  }

  @Test
  void refusesALevelNettyDoesNotHaveNamingTheSetting() {
    assertThatThrownBy(() -> new MediaLoops(1, 0, "loud", "auto"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PARLEY_MEDIA_LEAK_DETECTION")
        .hasMessageContaining("loud");
  }
}
