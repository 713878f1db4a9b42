package io.parley.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.parley.media.TinyWebSocketServer;
import io.parley.providers.ProviderRegistry;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.audio.Speech;
import io.parley.sim.deepgram.DeepgramConfig;
import io.parley.sim.deepgram.ListenSession;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The Deepgram adapter against the embedded Deepgram simulator over a real WebSocket. The caller's
 * audio is the simulator's signed synthetic speech: the simulator transcribes a word only when
 * every byte of it arrived, so a transcript proves the audio got through intact.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeepgramSpeechToTextTest {

  private static final String KEY = "dg-sim-secret-4e1d77";
  private static final int FRAME = 160;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<SttEvent> events = new CopyOnWriteArrayList<>();
  private final EventLoopGroup loops =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = loops.next();
  private Sim sim;
  private DeepgramSpeechToText stt;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private void start(DeepgramConfig deepgram, SttProperties properties) {
    start(deepgram, properties, KEY);
  }

  private void start(DeepgramConfig deepgram, SttProperties properties, String keyParley) {
    startSim(deepgram);
    startAdapter(sim.deepgramUrl(), properties, keyParley);
  }

  private void startSim(DeepgramConfig deepgram) {
    sim =
        Sim.start(
            SimConfig.defaults()
                .withDeepgram(
                    new DeepgramConfig(
                        0,
                        KEY,
                        deepgram.latency(),
                        deepgram.idleTimeout(),
                        deepgram.speechEnergy())));
    closing.add(sim);
  }

  private void startAdapter(URI deepgramUrl, SttProperties properties, String keyParley) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    Map<String, Object> env = new java.util.HashMap<>();
    env.put("PARLEY_DEEPGRAM_URL", deepgramUrl.toString());
    if (keyParley != null) {
      env.put("PARLEY_DEEPGRAM_API_KEY", keyParley);
    }
    context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", env));
    context.registerBean(ProviderRegistry.class);
    context.refresh();
    closing.add(context);
    stt = new DeepgramSpeechToText(context.getBean(ProviderRegistry.class), properties, meters);
    closing.add(stt::destroy);
  }

  private static DeepgramConfig fastSim() {
    return DeepgramConfig.defaults().withLatency(Duration.ofMillis(20));
  }

  private SttSession open(SttSpec spec) {
    SttSession session = stt.open(spec, events::add, loop);
    closing.add(session);
    return session;
  }

  @Test
  void wordsComeBackAsInterimsThenASpeechFinalWithSpeechStartedAndUtteranceEnd() {
    start(fastSim(), SttProperties.defaults());
    SttSession session =
        open(SttSpec.forCall("CA-words").withKeyterms(List.of("Parley Health", "table")));
    Audio audio = new Audio().noise(200).say("book a table for two").noise(1500);

    audio.play(session, 4);

    await().atMost(Duration.ofSeconds(10)).until(() -> has(SttEvent.UtteranceEnd.class));
    SttEvent.Final fin = only(SttEvent.Final.class);
    assertThat(fin.text()).isEqualTo("book a table for two");
    assertThat(fin.speechFinal()).isTrue();
    assertThat(fin.words())
        .extracting(SttEvent.Word::punctuated)
        .containsExactly("book", "a", "table", "for", "two");
    Speech.Word first = audio.words().getFirst();
    Speech.Word last = audio.words().getLast();
    assertThat(fin.startMs()).isCloseTo(first.start() / 8, within(1L));
    assertThat(fin.endMs()).isCloseTo(last.end() / 8, within(1L));
    assertThat(fin.words().getFirst().startMs()).isCloseTo(200L, within(1L));

    // Order: voice activity first, interims that grow word by word, the final, then the gap.
    assertThat(events.getFirst()).isInstanceOf(SttEvent.SpeechStarted.class);
    assertThat(((SttEvent.SpeechStarted) events.getFirst()).atMs()).isCloseTo(200L, within(30L));
    List<String> partials = all(SttEvent.Partial.class).stream().map(p -> p.text()).toList();
    assertThat(partials)
        .containsExactly("book", "book a", "book a table", "book a table for", fin.text());
    assertThat(events.indexOf(fin))
        .isGreaterThan(events.indexOf(all(SttEvent.Partial.class).getLast()));
    assertThat(events.getLast()).isInstanceOf(SttEvent.UtteranceEnd.class);
    assertThat(((SttEvent.UtteranceEnd) events.getLast()).lastWordEndMs())
        .isCloseTo(fin.endMs(), within(1L));

    // What went over the wire: the real query parameters, the call named for tracing.
    ListenSession listen = sim.deepgram().sessionsFor("CA-words").getFirst();
    assertThat(listen.params().model()).isEqualTo("nova-3");
    assertThat(listen.params().encoding()).isEqualTo("mulaw");
    assertThat(listen.params().sampleRate()).isEqualTo(8000);
    assertThat(listen.params().interimResults()).isTrue();
    assertThat(listen.params().vadEvents()).isTrue();
    assertThat(listen.params().endpointing()).isEqualTo(300);
    assertThat(listen.params().utteranceEndMs()).isEqualTo(1000);
    assertThat(listen.params().language()).isEqualTo("en-US");
    assertThat(listen.params().keyterms()).containsExactly("Parley Health", "table");
    assertThat(gauge()).isEqualTo(1);

    session.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge() == 0);
    await().atMost(Duration.ofSeconds(5)).until(listen::isClosed);
  }

  @Test
  void theMedicalModelIsSelectable() {
    start(fastSim(), SttProperties.defaults());
    SttSession session = open(SttSpec.forCall("CA-medical").withModel("nova-3-medical"));
    new Audio().noise(100).say("fever").noise(600).play(session, 8);

    await().atMost(Duration.ofSeconds(10)).until(() -> has(SttEvent.Final.class));
    assertThat(only(SttEvent.Final.class).text()).isEqualTo("fever");
    assertThat(sim.deepgram().sessionsFor("CA-medical").getFirst().params().model())
        .isEqualTo("nova-3-medical");
  }

  @Test
  void keepAliveHoldsAnIdleSocketOpenPastTheProvidersIdleTimeout() {
    // The simulator closes after 2 s without audio or KeepAlive (Deepgram: about 10 s); silence
    // for 2.5 times that, with a KeepAlive every 400 ms.
    start(
        fastSim().withIdleTimeout(Duration.ofSeconds(2)),
        properties(Duration.ofMillis(400), 5, Duration.ofMillis(50)));
    SttSession session = open(SttSpec.forCall("CA-idle"));
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge() == 1);

    sleep(Duration.ofSeconds(5));

    assertThat(events).isEmpty();
    ListenSession listen = sim.deepgram().sessionsFor("CA-idle").getFirst();
    assertThat(listen.isClosed()).isFalse();
    new Audio().noise(100).say("still there").noise(600).play(session, 8);
    await().atMost(Duration.ofSeconds(10)).until(() -> has(SttEvent.Final.class));
    assertThat(only(SttEvent.Final.class).text()).isEqualTo("still there");
    assertThat(sim.deepgram().sessionsFor("CA-idle")).hasSize(1);
    assertThat(events).noneMatch(e -> e instanceof SttEvent.Reconnected);
  }

  @Test
  void withoutKeepAliveTheIdleSocketIsClosedAndReplacedTransparently() {
    // The control for the test above: KeepAlive slower than the provider's idle timeout.
    start(
        fastSim().withIdleTimeout(Duration.ofMillis(500)),
        properties(Duration.ofSeconds(30), 5, Duration.ofMillis(50)));
    SttSession session = open(SttSpec.forCall("CA-nokeepalive"));

    await().atMost(Duration.ofSeconds(5)).until(() -> has(SttEvent.Reconnected.class));
    assertThat(sim.deepgram().sessionsFor("CA-nokeepalive").getFirst().isClosed()).isTrue();
    assertThat(reconnects("success")).isEqualTo(1);
    new Audio().noise(100).say("hello").noise(600).play(session, 8);
    await().atMost(Duration.ofSeconds(10)).until(() -> has(SttEvent.Final.class));
    assertThat(only(SttEvent.Final.class).text()).isEqualTo("hello");
  }

  @Test
  void aSocketDroppedMidUtteranceIsReplacedAndEveryWordIsStillTranscribedOnTheCallsTimeline() {
    start(fastSim(), properties(Duration.ofSeconds(4), 5, Duration.ofMillis(50)));
    // Messages on the first socket: SpeechStarted, "good", "good morning", the final,
    // SpeechStarted, "i", "i would"; it is cut when the eighth is due, mid-utterance.
    sim.faults().next(Faults.Target.DEEPGRAM, 1, new Fault.DropMidStream(7));
    SttSession session = open(SttSpec.forCall("CA-drop"));
    Audio audio =
        new Audio()
            .noise(200)
            .say("good morning")
            .noise(800)
            .say("i would like to book a table please")
            .noise(1500);

    audio.play(session, 1);

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> all(SttEvent.Final.class).stream().filter(f -> f.speechFinal()).count() == 2);
    List<SttEvent.Final> finals = all(SttEvent.Final.class);
    assertThat(finals)
        .extracting(SttEvent.Final::text)
        .containsExactly("good morning", "i would like to book a table please");
    // The second utterance came from the new socket, whose clock restarted at zero.
    Speech.Word i = audio.words().get(2);
    assertThat(finals.get(1).startMs()).isCloseTo(i.start() / 8, within(1L));
    assertThat(finals.get(1).words().getLast().endMs())
        .isCloseTo(audio.words().getLast().end() / 8, within(1L));
    SttEvent.Reconnected reconnected = only(SttEvent.Reconnected.class);
    assertThat(reconnected.attempts()).isEqualTo(1);
    assertThat(reconnected.resentMs()).isPositive();
    assertThat(events.indexOf(reconnected)).isLessThan(events.indexOf(finals.get(1)));
    List<ListenSession> sockets = sim.deepgram().sessionsFor("CA-drop");
    assertThat(sockets).hasSize(2);
    // The first socket had committed "good morning": only the audio after it was sent again.
    assertThat(sockets.get(0).finals())
        .extracting(ListenSession.Final::transcript)
        .containsExactly("good morning");
    assertThat(sockets.get(1).finals())
        .extracting(ListenSession.Final::transcript)
        .containsExactly("i would like to book a table please");
    assertThat(reconnects("success")).isEqualTo(1);
    assertThat(gauge()).isEqualTo(1);
  }

  @Test
  void wordsSpokenWhileTheProviderIsUnreachableAreBufferedAndTranscribedAfterTheReconnect() {
    // Backoff 300 ms then 600 ms: about a second of speech falls into the gap.
    start(
        fastSim(),
        new SttProperties(
            Duration.ofSeconds(4),
            null,
            null,
            5,
            Duration.ofMillis(300),
            Duration.ofSeconds(1),
            null,
            0,
            null));
    sim.faults().next(Faults.Target.DEEPGRAM, 1, new Fault.DropMidStream(7));
    SttSession session = open(SttSpec.forCall("CA-gap"));
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge() == 1);
    // Armed once the first socket is up: the next two attempts are refused.
    sim.faults().next(Faults.Target.DEEPGRAM, 2, new Fault.ErrorStatus(503));
    Audio audio =
        new Audio()
            .noise(200)
            .say("good morning")
            .noise(800)
            .say("i would like to book a table for four people on friday")
            .noise(1500);

    audio.play(session, 1);

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> all(SttEvent.Final.class).stream().filter(f -> f.speechFinal()).count() == 2);
    assertThat(all(SttEvent.Final.class))
        .extracting(SttEvent.Final::text)
        .containsExactly("good morning", "i would like to book a table for four people on friday");
    assertThat(all(SttEvent.Final.class).get(1).startMs())
        .isCloseTo(audio.words().get(2).start() / 8, within(1L));
    SttEvent.Reconnected reconnected = only(SttEvent.Reconnected.class);
    assertThat(reconnected.attempts()).isEqualTo(3);
    assertThat(reconnected.resentMs()).isGreaterThan(900);
    assertThat(reconnects("failure")).isEqualTo(2);
    assertThat(reconnects("success")).isEqualTo(1);
    assertThat(sim.deepgram().sessionsFor("CA-gap")).hasSize(2);
  }

  @Test
  void theProviderFailingToAcceptIsRetriedWithBackoff() {
    start(fastSim(), properties(Duration.ofSeconds(4), 5, Duration.ofMillis(50)));
    sim.faults().next(Faults.Target.DEEPGRAM, 2, new Fault.ErrorStatus(503));
    SttSession session = open(SttSpec.forCall("CA-503"));

    new Audio().noise(100).say("anyone there").noise(600).play(session, 8);

    await().atMost(Duration.ofSeconds(10)).until(() -> has(SttEvent.Final.class));
    assertThat(only(SttEvent.Final.class).text()).isEqualTo("anyone there");
    assertThat(events).noneMatch(e -> e instanceof SttEvent.Failed);
    assertThat(sim.deepgram().sessionsFor("CA-503")).hasSize(1);
  }

  @Test
  void aProviderThatKeepsRefusingEndsTheSessionAsRetriable() {
    start(fastSim(), properties(Duration.ofSeconds(4), 3, Duration.ofMillis(20)));
    sim.faults().set(Faults.Target.DEEPGRAM, new Fault.ErrorStatus(503));
    SttSession session = open(SttSpec.forCall("CA-down"));

    await().atMost(Duration.ofSeconds(10)).until(() -> has(SttEvent.Failed.class));
    SttEvent.Failed failed = only(SttEvent.Failed.class);
    assertThat(failed.retriable()).isTrue();
    assertThat(failed.reason()).contains("3 failed attempts").contains("HTTP 503");
    assertThat(session.finish()).succeedsWithin(Duration.ofSeconds(1));
    assertThat(meters.get(SttMetrics.FAILURES).tag("retriable", "true").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aBadKeyFailsAtOnceAndIsNotRetriable(CapturedOutput output) {
    start(fastSim(), SttProperties.defaults(), "wrong-key-0c8f2a");
    SttSession session = open(SttSpec.forCall("CA-badkey"));
    session.send(new Audio().noise(100).bytes());

    await().atMost(Duration.ofSeconds(5)).until(() -> has(SttEvent.Failed.class));
    SttEvent.Failed failed = only(SttEvent.Failed.class);
    assertThat(failed.retriable()).isFalse();
    assertThat(failed.reason()).contains("HTTP 401").doesNotContain("wrong-key-0c8f2a");
    assertThat(events).hasSize(1);
    assertThat(output.getAll()).doesNotContain("wrong-key-0c8f2a").doesNotContain(KEY);
    assertThat(gauge()).isZero();
  }

  @Test
  void aShortKeyDoesNotMangleTheReason() {
    start(fastSim(), SttProperties.defaults(), "e");
    open(SttSpec.forCall("CA-shortkey"));

    await().atMost(Duration.ofSeconds(5)).until(() -> has(SttEvent.Failed.class));
    assertThat(only(SttEvent.Failed.class).reason())
        .isEqualTo("Deepgram refused the connection with HTTP 401: Invalid credentials.");
  }

  @Test
  void anUnconfiguredOrUnknownProviderFailsWithoutCallingOut() {
    start(fastSim(), SttProperties.defaults(), null);
    open(SttSpec.forCall("CA-nokey"));
    await().atMost(Duration.ofSeconds(5)).until(() -> has(SttEvent.Failed.class));
    assertThat(only(SttEvent.Failed.class))
        .isEqualTo(
            new SttEvent.Failed(
                false,
                "STT provider 'deepgram' is not configured (PARLEY_DEEPGRAM_API_KEY is not set)"));

    events.clear();
    open(SttSpec.forCall("CA-other").withProvider("whisper"));
    await().atMost(Duration.ofSeconds(5)).until(() -> has(SttEvent.Failed.class));
    assertThat(only(SttEvent.Failed.class).reason()).isEqualTo("Unknown STT provider 'whisper'");
    assertThat(sim.deepgram().sessions()).isEmpty();
  }

  @Test
  void finishDeliversTheLastFinalBeforeItCompletes() {
    start(fastSim(), SttProperties.defaults());
    // Endpointing off: without finish() this utterance would never become final.
    SttSession session = open(SttSpec.forCall("CA-finish").withTurnTaking(0, 0));
    new Audio().noise(100).say("thank you goodbye").play(session, 8);

    assertThat(session.finish()).succeedsWithin(Duration.ofSeconds(5));

    assertThat(only(SttEvent.Final.class).text()).isEqualTo("thank you goodbye");
    ListenSession listen = sim.deepgram().sessionsFor("CA-finish").getFirst();
    // the simulator marks its session closed when its loop handles the close, a moment later
    await().atMost(Duration.ofSeconds(2)).until(listen::isClosed);
    assertThat(gauge()).isZero();
    int count = events.size();
    session.send(new Audio().noise(100).bytes());
    sleep(Duration.ofMillis(200));
    assertThat(events).hasSize(count);
  }

  @Test
  void closeStopsEventsAtOnce() {
    start(fastSim(), SttProperties.defaults());
    SttSession session = open(SttSpec.forCall("CA-close"));
    Audio audio = new Audio().noise(100).say("one two three four five six").noise(800);
    byte[] bytes = audio.bytes();
    int half = bytes.length / 2 / FRAME * FRAME;
    play(session, Arrays.copyOfRange(bytes, 0, half), 8);
    await().atMost(Duration.ofSeconds(5)).until(() -> has(SttEvent.Partial.class));

    session.close();
    int count = events.size();
    play(session, Arrays.copyOfRange(bytes, half, bytes.length), 8);
    sleep(Duration.ofMillis(300));

    assertThat(events).hasSize(count);
    assertThat(session.finish()).succeedsWithin(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge() == 0);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.deepgram().sessionsFor("CA-close").getFirst().isClosed());
  }

  @Test
  void everyEventReachesTheListenerOnTheSessionsLoop() {
    start(fastSim(), SttProperties.defaults());
    List<String> offLoop = new CopyOnWriteArrayList<>();
    SttSession session =
        stt.open(
            SttSpec.forCall("CA-loop"),
            event -> {
              if (!loop.inEventLoop()) {
                offLoop.add(Thread.currentThread().getName() + " " + event);
              }
              events.add(event);
            },
            loop);
    closing.add(session);

    new Audio().noise(100).say("on the loop").noise(1200).play(session, 8);
    await().atMost(Duration.ofSeconds(10)).until(() -> has(SttEvent.UtteranceEnd.class));
    assertThat(session.finish()).succeedsWithin(Duration.ofSeconds(5));

    assertThat(only(SttEvent.Final.class).text()).isEqualTo("on the loop");
    assertThat(events).hasSizeGreaterThan(3);
    assertThat(offLoop).isEmpty();
  }

  @Test
  void aProviderThatStopsReadingCostsDroppedFramesNeverABlockedLoop() {
    TinyWebSocketServer stuck = TinyWebSocketServer.stalling();
    closing.add(stuck);
    // 10 frames may wait in the socket's buffer; no stall verdict during the test.
    startAdapter(
        URI.create("http" + stuck.uri("").toString().substring(2)),
        new SttProperties(null, null, Duration.ofSeconds(60), 5, null, null, null, 10, null),
        KEY);
    SttSession session = stt.open(SttSpec.forCall("CA-stuck"), events::add, loop);
    closing.add(session);
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge() == 1);
    AtomicLong ticks = new AtomicLong();
    var ticker = loop.scheduleAtFixedRate(ticks::incrementAndGet, 0, 5, TimeUnit.MILLISECONDS);
    closing.add(() -> ticker.cancel(false));

    // Bursts of 1000 frames, each burst one loop task, until the kernel's buffers are full too.
    AtomicLong slowestBurstNanos = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    loop.execute(
        new Runnable() {
          @Override
          public void run() {
            long started = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
              session.send(Unpooled.wrappedBuffer(new byte[FRAME]));
            }
            slowestBurstNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
            if (sent.addAndGet(1000) < 2_000_000 && queueFull() == 0) {
              loop.execute(this);
            }
          }
        });
    await().atMost(Duration.ofSeconds(30)).until(() -> queueFull() > 0);
    double dropped = queueFull();
    long ticksBefore = ticks.get();

    play(session, new byte[100 * FRAME], 50);

    await().atMost(Duration.ofSeconds(5)).until(() -> queueFull() == dropped + 100);
    assertThat(ticks.get()).isGreaterThan(ticksBefore);
    assertThat(slowestBurstNanos.get()).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(events).isEmpty();
    assertThat(gauge()).isEqualTo(1);
  }

  // ---- helpers ----

  /**
   * Sends 20 ms frames at {@code speed} times real time, each from a task on the session's loop, as
   * the call's media handler does.
   */
  private void play(SttSession session, byte[] bytes, int speed) {
    long start = System.nanoTime();
    long frameNanos = TimeUnit.MILLISECONDS.toNanos(20) / speed;
    for (int at = 0, n = 0; at < bytes.length; at += FRAME, n++) {
      ByteBuf frame = Unpooled.wrappedBuffer(bytes, at, Math.min(FRAME, bytes.length - at));
      loop.execute(() -> session.send(frame));
      long due = start + (n + 1) * frameNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  private static SttProperties properties(
      Duration keepAlive, int reconnectAttempts, Duration backoff) {
    return new SttProperties(
        keepAlive, null, null, reconnectAttempts, backoff, Duration.ofMillis(200), null, 0, null);
  }

  private double queueFull() {
    var counter = meters.find(SttMetrics.FRAMES_DROPPED).tag("reason", "queue_full").counter();
    return counter == null ? 0 : counter.count();
  }

  private double gauge() {
    return meters.get(SttMetrics.SOCKETS_OPEN).gauge().value();
  }

  private double reconnects(String outcome) {
    var counter = meters.find(SttMetrics.RECONNECTS).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private boolean has(Class<? extends SttEvent> type) {
    return events.stream().anyMatch(type::isInstance);
  }

  private <T extends SttEvent> List<T> all(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private <T extends SttEvent> T only(Class<T> type) {
    List<T> found = all(type);
    assertThat(found).as("events of type %s in %s", type.getSimpleName(), events).hasSize(1);
    return found.getFirst();
  }

  private static void sleep(Duration duration) {
    LockSupport.parkNanos(duration.toNanos());
  }

  /** A caller's line: quiet noise and signed synthetic words, as Twilio would deliver them. */
  private final class Audio {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final SplittableRandom random = new SplittableRandom(7);
    private final List<Speech.Word> words = new ArrayList<>();
    private long seed = 11;

    Audio noise(int ms) {
      out.writeBytes(Speech.comfortNoise(ms * 8, random));
      return this;
    }

    Audio say(String text) {
      Speech.Utterance utterance = Speech.synthesize(text, seed++);
      int offset = out.size();
      utterance
          .words()
          .forEach(w -> words.add(new Speech.Word(w.text(), offset + w.start(), offset + w.end())));
      out.writeBytes(utterance.audio());
      return this;
    }

    /** Every word with its position in samples (bytes) on the call's timeline. */
    List<Speech.Word> words() {
      return words;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    /** Sends 20 ms frames at {@code speed} times real time. */
    void play(SttSession session, int speed) {
      DeepgramSpeechToTextTest.this.play(session, bytes(), speed);
    }
  }
}
