package io.parley.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.parley.shared.SecretScrubber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class FallbackSessionTest {

  private static final String KEY = "sk-eleven-0c8f2a77";

  // The session's state machine needs a loop, not a socket
  private final EventLoop loop = new DefaultEventLoop();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A provider whose every attempt fails with {@code reason} once the text is complete. */
  private record Failing(String name, String reason) implements SpeechProvider {
    @Override
    public String providerId() {
      return "elevenlabs";
    }

    @Override
    public Channel open(VoiceSpec.Voice voice, String languageCode, EventLoop loop) {
      return new Channel() {
        @Override
        public Attempt start(Sink sink) {
          return new Attempt() {
            @Override
            public void append(String text) {}

            @Override
            public void finish() {
              sink.failed(false, reason);
            }

            @Override
            public void abort() {}
          };
        }

        @Override
        public void close() {}
      };
    }
  }

  @Test
  void aKeyTheProviderEchoesReachesNeitherTheListenerNorTheLog(CapturedOutput output) {
    VoiceSpec.Voice voice = new VoiceSpec.Voice("elevenlabs", "voice-1", null);
    List<FallbackSession.Link> chain =
        List.of(
            new FallbackSession.Link(
                new Failing("first", "ElevenLabs error invalid_api_key: " + KEY + " is wrong"),
                voice),
            new FallbackSession.Link(
                new Failing("second", "ElevenLabs closed the socket: 1008 key=" + KEY), voice));
    List<TtsEvent> events = new CopyOnWriteArrayList<>();
    FallbackSession session =
        new FallbackSession(
            chain,
            "en-US",
            events::add,
            loop,
            new TtsMetrics(new SimpleMeterRegistry()),
            TtsProperties.defaults(),
            List.of(),
            reason -> SecretScrubber.scrub(reason, KEY));

    session.append("Hello there.");
    session.flush();

    await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
    session.close();
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            TtsEvent.Failed.class,
            failed -> assertThat(failed.reason()).contains("key=****").doesNotContain(KEY));
    assertThat(output.getAll()).contains("invalid_api_key: ****").doesNotContain(KEY);
  }
}
