package io.parley.sim.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.sim.AppServer;
import io.parley.sim.CallHandle;
import io.parley.sim.MediaApp;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many streams at once are carried by the callers' few event loops, not a thread per call. */
class CallerLoopsTest {
  private static final String AGENT = "+15550001000";
  private static final int CALLS = 12;

  private final AppServer app = new AppServer();
  private final MediaApp media = new MediaApp();
  private final Sim sim = Sim.start(SimConfig.defaults());

  @AfterEach
  void stop() {
    sim.close();
    media.close();
    app.close();
  }

  @Test
  void manyStreamsShareAtMostTwoLoopThreadsAndEachKeepsItsOwnFrameNumbers() throws Exception {
    sim.number(AGENT).voiceUrl(app.url("/voice"));
    app.answer(
        "/voice",
        "<Response><Connect><Stream url=\"" + media.wsUrl() + "\"/></Connect></Response>");
    List<CallHandle> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      calls.add(sim.placeCall("+1415555%04d".formatted(3000 + i), AGENT, CallerScript.silent()));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                media.streams.size() == CALLS
                    && media.streams.stream()
                        .allMatch(s -> s.events.stream().filter("media"::equals).count() >= 25));

    long loopThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("sim-caller"))
            .count();
    assertThat(loopThreads).isBetween(1L, 2L);
    // no thread of the old design (a sender per call, a mark timer per stream) is left
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("marks-") || t.getName().startsWith("call-CA"));

    for (CallHandle call : calls) {
      call.hangUp();
    }
    for (CallHandle call : calls) {
      assertThat(call.awaitEnd(Duration.ofSeconds(10))).isTrue();
      assertThat(call.errors()).isEmpty();
      assertThat(call.status()).isEqualTo("completed");
    }
    for (MediaApp.Stream s : media.streams) {
      await().atMost(Duration.ofSeconds(5)).until(() -> s.events.getLast().equals("stop"));
      assertThat(s.events.getFirst()).isEqualTo("connected");
      assertThat(s.events.get(1)).isEqualTo("start");
      assertThat(s.chunks).isNotEmpty();
      // each stream numbers its own frames from 1, one after the other, whatever the loop serves
      for (int i = 0; i < s.chunks.size(); i++) {
        assertThat(s.chunks.get(i)).isEqualTo(i + 1);
      }
    }
  }
}
