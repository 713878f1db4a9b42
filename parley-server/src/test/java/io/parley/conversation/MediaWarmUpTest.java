package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaWarmUpTest {

  @Test
  void everyFrameGoesThroughEachWayAndEveryProgressMarkIsPlayed() {
    int frames = 500;

    MediaWarmUp.Pushed pushed = MediaWarmUp.push(frames);

    assertThat(pushed.inbound()).isEqualTo(frames);
    assertThat(pushed.outbound()).isEqualTo(frames);
    // one progress mark per 5 frames of speech, each echoed so the pacer lets its frames go
    assertThat(pushed.marks()).isEqualTo(frames / OutboundPacer.DEFAULT_PROGRESS_FRAMES);
  }
}
