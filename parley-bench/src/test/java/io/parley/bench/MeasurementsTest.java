package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.sim.caller.CallMedia;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasurementsTest {

  private static byte[] audio(int bytes, int first) {
    byte[] a = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      a[i] = (byte) (first + i / 160);
    }
    return a;
  }

  @Test
  void aTopUpMessageIsCutIntoItsFramesAllArrivingWhenTheMessageDid() {
    List<CallMedia.Received> messages =
        List.of(
            new CallMedia.Received(10, audio(160, 0), 10_000),
            new CallMedia.Received(30, audio(640, 1), 30_500),
            new CallMedia.Received(110, audio(100, 5), 110_000));

    List<CallMedia.Received> frames = Measurements.inFrames(messages);

    assertThat(frames).hasSize(6);
    assertThat(frames.get(0)).isSameAs(messages.get(0));
    for (int i = 1; i <= 4; i++) {
      assertThat(frames.get(i).atMicros()).isEqualTo(30_500);
      assertThat(frames.get(i).atMillis()).isEqualTo(30);
      assertThat(frames.get(i).payload()).hasSize(160).containsOnly((byte) i);
    }
    // a short message (the end of an utterance is padded, but any length may come) stays whole
    assertThat(frames.get(5).payload()).hasSize(100);
    assertThat(Arrays.equals(frames.get(5).payload(), messages.get(2).payload())).isTrue();
  }

  @Test
  void aMessageThatIsNotAWholeNumberOfFramesKeepsItsTail() {
    List<CallMedia.Received> frames =
        Measurements.inFrames(List.of(new CallMedia.Received(0, audio(400, 7), 0)));

    assertThat(frames).extracting(f -> f.payload().length).containsExactly(160, 160, 80);
  }
}
