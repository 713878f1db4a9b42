package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.conversation.DtmfBursts.Burst;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DtmfBurstsTest {

  /** A clock the test moves by hand. */
  private Instant now = Instant.parse("2026-06-15T14:00:00Z");

  private final DtmfBursts bursts = new DtmfBursts();
  private final List<Burst> written = new ArrayList<>();

  private void press(String keys, Duration apart) {
    for (char key : keys.toCharArray()) {
      bursts.press(String.valueOf(key), now).ifPresent(written::add);
      now = now.plus(apart);
    }
  }

  private void wait(Duration duration) {
    now = now.plus(duration);
    bursts.due(now).ifPresent(written::add);
  }

  @Test
  void keysPressedInOneGoAreOneBurstOnceTheCallerStops() {
    Instant first = now;
    press("4521#", Duration.ofMillis(400));

    wait(Duration.ofMillis(2500));
    assertThat(written).as("less than 3 s after the last key").isEmpty();

    wait(Duration.ofMillis(1000));
    assertThat(written)
        .containsExactly(new Burst("4521#", first, first.plus(Duration.ofMillis(1600))));
  }

  @Test
  void aPauseOfThreeSecondsStartsANewBurst() {
    press("12", Duration.ofSeconds(1));
    now = now.plus(Duration.ofSeconds(2));
    press("3", Duration.ZERO);
    press("4", Duration.ofMillis(2999));
    press("5", Duration.ZERO);

    assertThat(written).extracting(Burst::digits).containsExactly("12");
    assertThat(bursts.finish()).map(Burst::digits).contains("345");
    assertThat(bursts.finish()).isEmpty();
  }

  @Test
  void aBurstHoldsAtMostThirtyTwoKeys() {
    press("1".repeat(70), Duration.ofMillis(100));

    assertThat(written).extracting(Burst::digits).containsExactly("1".repeat(32), "1".repeat(32));
    assertThat(bursts.finish()).map(Burst::digits).contains("111111");
  }

  @Test
  void nothingPressedIsNothingWritten() {
    wait(Duration.ofMinutes(5));
    assertThat(written).isEmpty();
    assertThat(bursts.finish()).isEmpty();
  }
}
