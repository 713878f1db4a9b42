package io.parley.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.parley.providers.ProviderRegistry;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.audio.EmissionLog;
import io.parley.sim.audio.Speech;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The TTS chain against the embedded ElevenLabs and Deepgram simulators, over real sockets. Every
 * session is bound to one event loop, as a call's would be.
 */
class TextToSpeechSimTest {

  private static final VoiceSpec.Voice ELEVEN = new VoiceSpec.Voice("elevenlabs", "v-rachel", null);
  private static final VoiceSpec.Voice AURA =
      new VoiceSpec.Voice("deepgram", "aura-2-thalia-en", null);
  private static final VoiceSpec VOICE = new VoiceSpec(ELEVEN, AURA, null);

  private static final String SHORT = "Hello there";
  private static final String LONG =
      "Thank you for calling the Green Leaf restaurant where every table has a view of the river"
          + " and every dish is cooked to order by our chef who trained in Lyon and Mumbai and we"
          + " would be glad to book a table for you tonight or any other evening this week";

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final EventLoopGroup loops =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = loops.next();
  private Sim sim;
  private FallbackTextToSpeech tts;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private void start(String elevenLabsKey, String deepgramKey) {
    start(elevenLabsKey, deepgramKey, TtsProperties.defaults());
  }

  private void start(String elevenLabsKey, String deepgramKey, TtsProperties properties) {
    start(elevenLabsKey, deepgramKey, properties, null);
  }

  /** As above; ElevenLabs at {@code elevenLabsUrl} instead of the simulator when not null. */
  private void start(
      String elevenLabsKey, String deepgramKey, TtsProperties properties, URI elevenLabsUrl) {
    sim = Sim.start(SimConfig.defaults());
    closing.add(sim);
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "test",
                Map.of(
                    "PARLEY_ELEVENLABS_URL",
                    (elevenLabsUrl == null ? sim.elevenLabsUrl() : elevenLabsUrl).toString(),
                    "PARLEY_ELEVENLABS_API_KEY",
                    elevenLabsKey,
                    "PARLEY_DEEPGRAM_URL",
                    sim.deepgramUrl().toString(),
                    "PARLEY_DEEPGRAM_API_KEY",
                    deepgramKey)));
    context.registerBean(ProviderRegistry.class);
    context.refresh();
    closing.add(context);
    tts =
        new FallbackTextToSpeech(
            context.getBean(ProviderRegistry.class),
            properties,
            new io.parley.providers.OutboundHttp(
                io.parley.providers.OutboundHttpProperties.defaults(), meters),
            meters);
    closing.add(tts::destroy);
  }

  private void startWithSimKeys() {
    start(sim0Key("elevenlabs"), sim0Key("deepgram"));
  }

  private static String sim0Key(String which) {
    return which.equals("elevenlabs") ? "sim-elevenlabs-key" : "sim-deepgram-key";
  }

  /** Collects a session's events, and whether each came on the session's loop. */
  private final class Recorder implements TtsListener {
    final List<TtsEvent> events = new CopyOnWriteArrayList<>();
    final List<String> offLoop = new CopyOnWriteArrayList<>();
    volatile long delayMillis;

    @Override
    public void on(TtsEvent event) {
      if (!loop.inEventLoop()) {
        offLoop.add(Thread.currentThread().getName() + ": " + event);
      }
      events.add(event);
      if (delayMillis > 0 && event instanceof TtsEvent.Audio) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    List<TtsEvent.Audio> audio() {
      return events.stream()
          .filter(TtsEvent.Audio.class::isInstance)
          .map(TtsEvent.Audio.class::cast)
          .toList();
    }

    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      audio().forEach(a -> out.writeBytes(a.mulaw()));
      return out.toByteArray();
    }

    boolean done(long seq) {
      return events.contains(new TtsEvent.Done(seq));
    }
  }

  private TtsSession open(VoiceSpec voice, Recorder recorder) {
    TtsSession session = tts.open(voice, recorder, loop);
    closing.add(session);
    return session;
  }

  /** The words whose audio arrived in full, in order, mapped back through the emission log. */
  private List<String> heardWords(byte[] bytes) {
    List<String> words = new ArrayList<>();
    for (EmissionLog.Run run : sim.emissions().locate(bytes)) {
      int from = run.emissionOffset();
      int to = from + run.length();
      for (Speech.Word w : run.emission().words()) {
        if (w.start() >= from && w.end() <= to) {
          words.add(w.text());
        }
      }
    }
    return words;
  }

  private static List<String> words(String text) {
    return Arrays.asList(text.strip().split("\\s+"));
  }

  @Test
  void theWebSocketSpeaksTheTextAndAudioLengthFollowsIt() {
    startWithSimKeys();
    Recorder shortOne = new Recorder();
    TtsSession a = open(VOICE, shortOne);
    a.append(SHORT);
    a.flush();
    Recorder longOne = new Recorder();
    TtsSession b = open(VOICE, longOne);
    b.append(LONG);
    b.flush();

    await().atMost(Duration.ofSeconds(10)).until(() -> shortOne.done(1) && longOne.done(1));

    assertThat(heardWords(shortOne.bytes())).isEqualTo(words(SHORT));
    assertThat(heardWords(longOne.bytes())).isEqualTo(words(LONG));
    double ratio = (double) longOne.bytes().length / shortOne.bytes().length;
    assertThat(ratio).isGreaterThan(LONG.length() / (double) SHORT.length() / 3);
    assertThat(longOne.audio()).allSatisfy(x -> assertThat(x.utteranceSeq()).isEqualTo(1));
    assertThat(longOne.audio().getFirst().alignment().text()).isNotBlank();
    assertThat(longOne.events.getLast()).isEqualTo(new TtsEvent.Done(1));
    assertThat(sim.emissions().emissions())
        .allSatisfy(e -> assertThat(e.source()).isEqualTo("elevenlabs"));
    assertThat(
            meters
                .find(TtsMetrics.TIME_TO_FIRST_AUDIO)
                .tag("provider", "elevenlabs-ws")
                .timer()
                .count())
        .isEqualTo(2);
  }

  @Test
  void nothingIsSpokenBeforeTheFirstScheduleStepUnlessFlushed() throws InterruptedException {
    startWithSimKeys();
    Recorder recorder = new Recorder();
    TtsSession session = open(VOICE, recorder);
    String first = LONG.substring(0, 100);
    session.append(first);

    Thread.sleep(1500);
    assertThat(recorder.events).isEmpty();

    session.append(LONG.substring(100, 130));
    await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.audio().isEmpty());
    assertThat(recorder.done(1)).isFalse();

    session.append(LONG.substring(130));
    session.flush();
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.done(1));
    assertThat(heardWords(recorder.bytes())).isEqualTo(words(LONG));
  }

  @Test
  void flushSpeaksShortTextAndEachUtteranceEndsInOrder() {
    startWithSimKeys();
    Recorder recorder = new Recorder();
    TtsSession session = open(VOICE, recorder);
    session.append("Hello ");
    session.append("there");
    session.flush();
    session.append("How can I help");
    session.flush();

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.done(2));

    assertThat(heardWords(recorder.bytes()))
        .containsExactly("Hello", "there", "How", "can", "I", "help");
    List<Long> order =
        recorder.events.stream()
            .map(
                e ->
                    e instanceof TtsEvent.Audio a
                        ? a.utteranceSeq()
                        : -((TtsEvent.Done) e).utteranceSeq())
            .distinct()
            .toList();
    assertThat(order).containsExactly(1L, -1L, 2L, -2L);
  }

  @Test
  void appendsFromManyThreadsAllReachTheOneSocketWriter() throws InterruptedException {
    startWithSimKeys();
    Recorder recorder = new Recorder();
    TtsSession session = open(VOICE, recorder);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int n = t;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 10; i++) {
                      session.append("w" + n + "x" + i + " ");
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    session.flush();

    await().atMost(Duration.ofSeconds(15)).until(() -> recorder.done(1));

    List<String> heard = heardWords(recorder.bytes());
    assertThat(heard).hasSize(80).doesNotHaveDuplicates();
    // each thread's words keep their order
    for (int t = 0; t < 8; t++) {
      String prefix = "w" + t + "x";
      assertThat(heard.stream().filter(w -> w.startsWith(prefix)).toList())
          .isEqualTo(java.util.stream.IntStream.range(0, 10).mapToObj(i -> prefix + i).toList());
    }
    assertThat(meters.find(TtsMetrics.FALLBACKS).counters()).isEmpty();
  }

  @Test
  void cancelStopsAudioAtOnceAndTheSessionSpeaksAgainAfterwards() {
    startWithSimKeys();
    Recorder recorder = new Recorder();
    recorder.delayMillis = 50; // a slow consumer: audio piles up inside the session
    TtsSession session = open(VOICE, recorder);
    session.append(LONG + " " + LONG);
    session.flush();
    await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.audio().isEmpty());

    // as the call does: on the session's loop, between two events
    loop.submit(session::cancel).syncUninterruptibly();
    int atCancel = recorder.events.size();

    await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(recorder.events).hasSize(atCancel);
    assertThat(recorder.done(1)).isFalse();
    byte[] emitted = sim.emissions().emissions().getFirst().audio();
    assertThat(recorder.bytes().length).isLessThan(emitted.length);

    recorder.delayMillis = 0;
    session.append(SHORT);
    session.flush();
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.done(2));
    List<TtsEvent> after = recorder.events.subList(atCancel, recorder.events.size());
    assertThat(after)
        .allSatisfy(
            e -> assertThat(e instanceof TtsEvent.Audio a ? a.utteranceSeq() : 2L).isEqualTo(2L));
  }

  @Test
  void aSocketCutMidStreamFallsToRestThenAuraAndEveryWordIsSpokenOnce() {
    // the simulator's cut is not always seen as a close by the JDK client: the stall check decides
    start(
        "sim-elevenlabs-key",
        "sim-deepgram-key",
        TtsProperties.defaults().withStallTimeout(Duration.ofSeconds(1)));
    sim.faults().next(Faults.Target.ELEVENLABS, 1, new Fault.DropMidStream(1));
    Recorder recorder = new Recorder();
    TtsSession session = open(VOICE, recorder);
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.elevenLabs().sessions().size() == 1);
    // from now on ElevenLabs answers 500: the REST fallback fails too, Aura finishes the turn
    sim.faults().set(Faults.Target.ELEVENLABS, new Fault.ErrorStatus(500));

    session.append(LONG);
    session.flush();
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.done(1));

    List<String> heard = heardWords(recorder.bytes());
    assertThat(heard).isEqualTo(words(LONG));
    List<EmissionLog.Emission> emissions = sim.emissions().emissions();
    // the socket's one generation, then Aura in segments
    assertThat(emissions.getFirst().source()).isEqualTo("elevenlabs");
    assertThat(emissions.subList(1, emissions.size()))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.source()).isEqualTo("aura"));
    // the socket delivered a first stretch; Aura was given exactly the words not yet heard
    List<String> auraWords =
        emissions.subList(1, emissions.size()).stream()
            .flatMap(e -> words(e.text()).stream())
            .toList();
    int wsWords = words(LONG).size() - auraWords.size();
    assertThat(wsWords).isPositive();
    assertThat(auraWords).isEqualTo(words(LONG).subList(wsWords, words(LONG).size()));
    assertThat(recorder.events).noneMatch(TtsEvent.Failed.class::isInstance);
    assertThat(fallbacks("elevenlabs-ws", "elevenlabs-rest")).isEqualTo(1);
    assertThat(fallbacks("elevenlabs-rest", "deepgram-aura")).isEqualTo(1);
    assertThat(meters.find(TtsMetrics.FAILURES).tag("provider", "elevenlabs-ws").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aSocketDroppedBeforeAnyAudioHandsTheWholeUtteranceToRest() {
    startWithSimKeys();
    sim.faults().next(Faults.Target.ELEVENLABS, 1, new Fault.DropMidStream(0));
    Recorder recorder = new Recorder();
    TtsSession session = open(VOICE, recorder);
    // the session's warm socket is the one that takes the fault
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.elevenLabs().sessions().size() == 1);
    session.append(SHORT);
    session.flush();

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.done(1));

    assertThat(heardWords(recorder.bytes())).isEqualTo(words(SHORT));
    // the socket's generation was cut before its first byte; REST spoke the whole utterance
    assertThat(sim.emissions().emissions())
        .extracting(EmissionLog.Emission::text)
        .containsExactly(SHORT, SHORT);
    assertThat(recorder.audio()).allSatisfy(a -> assertThat(a.alignment().isEmpty()).isTrue());
    assertThat(fallbacks("elevenlabs-ws", "elevenlabs-rest")).isEqualTo(1);
  }

  @Test
  void aSpareSocketThatWasRefusedIsReplacedWhenTextComes() throws InterruptedException {
    startWithSimKeys();
    sim.faults().next(Faults.Target.ELEVENLABS, 1, new Fault.ErrorStatus(503));
    Recorder recorder = new Recorder();
    TtsSession session = open(VOICE, recorder);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.faults().injectedCount(Faults.Target.ELEVENLABS) == 1);
    Thread.sleep(1000); // the refusal reaches the client

    session.append(SHORT);
    session.flush();

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.done(1));
    assertThat(heardWords(recorder.bytes())).isEqualTo(words(SHORT));
    assertThat(sim.emissions().emissions())
        .singleElement()
        .satisfies(e -> assertThat(e.source()).isEqualTo("elevenlabs"));
    assertThat(meters.find(TtsMetrics.FALLBACKS).counters()).isEmpty();
  }

  @Test
  void keepAlivesHoldTheWarmSocketOpenPastTheInactivityTimeout() throws InterruptedException {
    start(
        "sim-elevenlabs-key",
        "sim-deepgram-key",
        TtsProperties.defaults().withKeepAlive(Duration.ofSeconds(15), Duration.ofSeconds(1)));
    Recorder recorder = new Recorder();
    TtsSession session = open(VOICE, recorder);
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.elevenLabs().sessions().size() == 1);

    Thread.sleep(2500); // more than twice the server's 1 s inactivity timeout
    session.append(SHORT);
    session.flush();

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.done(1));
    assertThat(heardWords(recorder.bytes())).isEqualTo(words(SHORT));
    // the warm socket spoke: its generation is the first socket's, no replacement was needed
    assertThat(sim.elevenLabs().sessions().getFirst().generated()).containsExactly(SHORT);
    assertThat(meters.find(TtsMetrics.FALLBACKS).counters()).isEmpty();
  }

  @Test
  void auraSpeaksRawMulawWithoutAHeader() {
    startWithSimKeys();
    Recorder recorder = new Recorder();
    TtsSession session = open(new VoiceSpec(AURA, null, "en"), recorder);
    session.append(LONG);
    session.flush();

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.done(1));

    byte[] bytes = recorder.bytes();
    assertThat(io.parley.sim.audio.Wav.looksLikeWav(bytes)).isFalse();
    assertThat(heardWords(bytes)).isEqualTo(words(LONG));
    assertThat(sim.emissions().emissions())
        .allSatisfy(e -> assertThat(e.source()).isEqualTo("aura"));
    // cut into segments at a word end once 120 characters are buffered
    assertThat(sim.emissions().emissions()).hasSizeGreaterThan(1);
  }

  @Test
  void aSpeechRequestCutBeforeAnyAnswerIsSentAgainAtOnceWithoutFallingBack() {
    startWithSimKeys();
    // the connection closes under the request before a byte of the answer, as a connection the
    // host had closed while it sat in the pool would
    sim.faults().next(Faults.Target.DEEPGRAM, 1, new Fault.DropMidStream(0));
    Recorder recorder = new Recorder();
    TtsSession session = open(new VoiceSpec(AURA, null, "en"), recorder);
    session.append(SHORT);
    session.flush();

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.done(1));

    assertThat(heardWords(recorder.bytes())).isEqualTo(words(SHORT));
    assertThat(recorder.events).noneMatch(TtsEvent.Failed.class::isInstance);
    assertThat(
            meters
                .find("parley.connection.stale.resends")
                .tag("target", "tts:" + AuraProvider.NAME)
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(meters.find(TtsMetrics.FAILURES).counters()).isEmpty();
  }

  @Test
  void badKeysFailWithoutRetry() {
    start("not-the-elevenlabs-key", "not-the-deepgram-key");
    Recorder recorder = new Recorder();
    TtsSession session = open(VOICE, recorder);
    session.append(SHORT);
    session.flush();

    await().atMost(Duration.ofSeconds(10)).until(() -> !recorder.events.isEmpty());

    assertThat(recorder.events)
        .singleElement()
        .isInstanceOfSatisfying(
            TtsEvent.Failed.class,
            f -> {
              assertThat(f.retriable()).isFalse();
              assertThat(f.reason()).doesNotContain("not-the-");
            });
    assertThat(sim.emissions().emissions()).isEmpty();
  }

  @Test
  void aHungProviderIsLeftAfterTheStallTimeout() {
    start(
        "sim-elevenlabs-key",
        "sim-deepgram-key",
        TtsProperties.defaults().withStallTimeout(Duration.ofMillis(800)));
    sim.faults().next(Faults.Target.DEEPGRAM, 1, new Fault.Hang());
    Recorder recorder = new Recorder();
    TtsSession session = open(new VoiceSpec(AURA, ELEVEN, null), recorder);
    session.append(SHORT);
    session.flush();

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.done(1));

    assertThat(heardWords(recorder.bytes())).isEqualTo(words(SHORT));
    assertThat(fallbacks("deepgram-aura", "elevenlabs-ws")).isEqualTo(1);
  }

  @Test
  void anUnconfiguredVoiceFailsClearly() {
    startWithSimKeys();
    Recorder recorder = new Recorder();
    TtsSession session =
        open(new VoiceSpec(new VoiceSpec.Voice("acme", "x", null), null, null), recorder);
    session.append(SHORT);
    session.flush();

    await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.events.isEmpty());
    assertThat(recorder.events)
        .singleElement()
        .isInstanceOfSatisfying(
            TtsEvent.Failed.class,
            f -> {
              assertThat(f.retriable()).isFalse();
              assertThat(f.reason()).contains("acme");
            });
  }

  @Test
  void everyEventArrivesOnTheSessionsLoop() {
    startWithSimKeys();
    Recorder socket = new Recorder();
    TtsSession a = open(VOICE, socket);
    a.append(SHORT);
    a.flush();
    Recorder rest = new Recorder();
    TtsSession b = open(new VoiceSpec(AURA, null, null), rest);
    b.append(LONG);
    b.flush();

    await().atMost(Duration.ofSeconds(10)).until(() -> socket.done(1) && rest.done(1));

    assertThat(socket.offLoop).isEmpty();
    assertThat(rest.offLoop).isEmpty();
    assertThat(socket.audio()).isNotEmpty();
    assertThat(rest.audio()).isNotEmpty();
  }

  @Test
  void aStuckElevenLabsServerNeverHoldsTheLoop() throws Exception {
    // accepts connections and never answers: neither the socket's handshake nor a REST request
    ServerSocket stuck = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    closing.add(stuck);
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    Thread.ofVirtual()
        .start(
            () -> {
              while (!stuck.isClosed()) {
                try {
                  accepted.add(stuck.accept());
                } catch (java.io.IOException closed) {
                  return;
                }
              }
            });
    closing.add(() -> accepted.forEach(s -> close(s)));
    start(
        "sim-elevenlabs-key",
        "sim-deepgram-key",
        new TtsProperties(Duration.ofSeconds(2), Duration.ofSeconds(1), null, null, null, null),
        URI.create("http://127.0.0.1:" + stuck.getLocalPort()));
    // the loop's heartbeat: the longest gap between two ticks 10 ms apart
    long[] last = {System.nanoTime()};
    long[] longestGap = {0};
    var heartbeat =
        loop.scheduleAtFixedRate(
            () -> {
              long now = System.nanoTime();
              longestGap[0] = Math.max(longestGap[0], now - last[0]);
              last[0] = now;
            },
            10,
            10,
            TimeUnit.MILLISECONDS);
    Recorder recorder = new Recorder();
    TtsSession session = open(VOICE, recorder);
    session.append(SHORT);
    session.flush();

    await().atMost(Duration.ofSeconds(15)).until(() -> recorder.done(1));
    heartbeat.cancel(false);

    assertThat(accepted).isNotEmpty();
    assertThat(heardWords(recorder.bytes())).isEqualTo(words(SHORT));
    assertThat(sim.emissions().emissions())
        .allSatisfy(e -> assertThat(e.source()).isEqualTo("aura"));
    assertThat(recorder.offLoop).isEmpty();
    // waiting on the stuck server took seconds (2 s connect, 1 s stall); the loop never waited
    // more than a moment (the bound leaves room for a busy machine)
    assertThat(loop.submit(() -> longestGap[0]).get())
        .isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (java.io.IOException ignored) {
      // the test is over
    }
  }

  private double fallbacks(String from, String to) {
    var counter = meters.find(TtsMetrics.FALLBACKS).tag("from", from).tag("to", to).counter();
    return counter == null ? 0 : counter.count();
  }
}
