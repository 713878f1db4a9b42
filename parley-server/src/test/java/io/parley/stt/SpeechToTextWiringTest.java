package io.parley.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.media.MediaLoops;
import io.parley.support.DbTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The adapter as the application wires it: one SpeechToText bean, defaults bound, meters. */
@DbTest
class SpeechToTextWiringTest {

  @Autowired SpeechToText stt;
  @Autowired SttProperties properties;
  @Autowired MeterRegistry meters;
  @Autowired MediaLoops loops;

  @Test
  void theDeepgramAdapterIsTheSpeechToTextWithItsGaugeRegistered() {
    assertThat(stt).isInstanceOf(DeepgramSpeechToText.class);
    assertThat(properties).isEqualTo(SttProperties.defaults());
    assertThat(meters.get(SttMetrics.SOCKETS_OPEN).tag("provider", "deepgram").gauge().value())
        .isZero();
  }

  @Test
  void withoutADeepgramKeyASessionFailsAtOnceInsteadOfCallingOut() {
    List<SttEvent> events = new CopyOnWriteArrayList<>();

    try (SttSession session = stt.open(SttSpec.forCall("CA-wiring"), events::add, loops.next())) {
      session.send(new byte[160]);
      await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
    }

    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(SttEvent.Failed.class, f -> assertThat(f.retriable()).isFalse());
  }
}
