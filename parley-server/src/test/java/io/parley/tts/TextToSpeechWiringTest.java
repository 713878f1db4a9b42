package io.parley.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.parley.support.DbTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The chain as the application wires it: one TextToSpeech bean, defaults bound. */
@DbTest
class TextToSpeechWiringTest {

  @Autowired TextToSpeech tts;
  @Autowired TtsProperties properties;

  @Test
  void theFallbackChainIsTheTextToSpeech() {
    assertThat(tts).isInstanceOf(FallbackTextToSpeech.class);
    assertThat(properties).isEqualTo(TtsProperties.defaults());
  }

  @Test
  void aVoiceWhoseProvidersHaveNoKeyFailsAtOnceWithoutRetry() {
    List<TtsEvent> events = new CopyOnWriteArrayList<>();
    VoiceSpec voice =
        new VoiceSpec(
            new VoiceSpec.Voice("elevenlabs", "v", null),
            new VoiceSpec.Voice("deepgram", "aura-2-thalia-en", null),
            null);
    EventLoop loop = new DefaultEventLoop();
    try (TtsSession session = tts.open(voice, events::add, loop)) {
      session.append("Hello");
      session.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            TtsEvent.Failed.class,
            f -> {
              assertThat(f.retriable()).isFalse();
              assertThat(f.reason()).contains("elevenlabs (not configured)");
            });
  }
}
