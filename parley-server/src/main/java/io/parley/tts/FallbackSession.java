package io.parley.tts;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session over a chain of adapters, bound to the call's event loop. The loop holds all state:
 * the call's methods run on it directly, a method called from another thread is handed to it, and
 * adapters report to it (the ElevenLabs socket reads there; REST requests post there), so nothing
 * here needs a lock. Only the epoch is shared: {@link #cancel()} from another thread bumps it at
 * once, so no event of a cancelled utterance is delivered after the one being delivered then.
 *
 * <p>The session keeps every utterance's text and how much of it is confirmed spoken (from
 * alignment, or a finished REST segment). When an adapter fails, the next one in the chain takes
 * over from the first word not confirmed; the chain position is kept for the rest of the session.
 */
final class FallbackSession implements TtsSession {
  private static final Logger log = LoggerFactory.getLogger(FallbackSession.class);

  /** An adapter and the voice it speaks with. */
  record Link(SpeechProvider provider, VoiceSpec.Voice voice) {}

  private final List<Link> chain;
  private final String languageCode;
  private final TtsListener listener;
  private final EventLoop loop;
  private final TtsMetrics metrics;
  private final TtsProperties properties;
  private final List<String> missing;
  private final UnaryOperator<String> scrub;
  private final ScheduledFuture<?> stallCheck;

  // bumped by cancel and close from any thread: events of utterances from an older epoch are
  // never delivered
  private final AtomicLong epoch = new AtomicLong();
  private volatile boolean closed;

  // the loop only
  private final Deque<Utterance> utterances = new ArrayDeque<>();
  private long nextSeq = 1;
  private int position;
  private SpeechProvider.Channel channel;
  private int channelPosition = -1;
  private long attemptIds;

  FallbackSession(
      List<Link> chain,
      String languageCode,
      TtsListener listener,
      EventLoop loop,
      TtsMetrics metrics,
      TtsProperties properties,
      List<String> missing,
      UnaryOperator<String> scrub) {
    this.chain = List.copyOf(chain);
    this.languageCode = languageCode;
    this.listener = listener;
    this.loop = loop;
    this.metrics = metrics;
    this.properties = properties;
    this.missing = List.copyOf(missing);
    this.scrub = scrub;
    long every = Math.max(50, properties.stallTimeout().toMillis() / 4);
    this.stallCheck =
        loop.scheduleWithFixedDelay(() -> guarded(this::checkStall), every, every, MILLISECONDS);
    // connect the first adapter now, so the first words do not wait for a handshake
    onLoop(() -> channel(position));
  }

  /** One flush's worth of text. */
  private final class Utterance {
    final long seq = nextSeq++;
    final long epoch;
    final StringBuilder text = new StringBuilder();
    final long startedNanos = System.nanoTime();
    boolean flushed;
    boolean heardAudio;
    // text before attemptBase was handed to earlier attempts; confirmed is absolute
    int attemptBase;
    int confirmed;
    SpeechProvider.Attempt attempt;
    long attemptId;
    long lastProgressNanos = System.nanoTime();

    Utterance(long epoch) {
      this.epoch = epoch;
    }
  }

  // ---- public API: on the loop, or handed to it ----------------------------------------------

  @Override
  public void append(String text) {
    if (text == null || text.isEmpty()) {
      return;
    }
    long at = epoch.get();
    onLoop(() -> onAppend(text, at));
  }

  @Override
  public void flush() {
    long at = epoch.get();
    onLoop(() -> onFlush(at));
  }

  @Override
  public void cancel() {
    epoch.incrementAndGet();
    onLoop(this::dropAll);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    epoch.incrementAndGet();
    stallCheck.cancel(false);
    onLoop(
        () -> {
          dropAll();
          closeChannel();
        });
  }

  /** Runs {@code task} now when on the loop, else hands it to the loop (in call order). */
  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      guarded(task);
      return;
    }
    try {
      loop.execute(() -> guarded(task));
    } catch (RejectedExecutionException shutDown) {
      // the loop is gone (the node is stopping): there is nothing left to speak to
    }
  }

  private static void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.warn("TTS session task failed", e);
    }
  }

  // ---- the loop
  // ----------------------------------------------------------------------------------

  private void onAppend(String text, long at) {
    if (closed || at != epoch.get()) {
      return; // appended before a cancel that has already been processed
    }
    Utterance u = utterances.peekLast();
    if (u == null || u.flushed || u.epoch != at) {
      u = new Utterance(at);
      utterances.addLast(u);
    }
    u.text.append(text);
    if (u == utterances.peekFirst()) {
      if (u.attempt == null) {
        begin(u);
      } else {
        u.attempt.append(text);
      }
    }
  }

  private void onFlush(long at) {
    Utterance u = utterances.peekLast();
    if (closed || u == null || u.flushed || u.epoch != at) {
      return;
    }
    u.flushed = true;
    u.lastProgressNanos = System.nanoTime();
    if (u == utterances.peekFirst() && u.attempt != null) {
      u.attempt.finish();
    }
  }

  /** Starts the head utterance on the current adapter from its first unconfirmed word. */
  private void begin(Utterance u) {
    if (position >= chain.size()) {
      giveUp(u, false, noProvider());
      return;
    }
    Link link = chain.get(position);
    long id = ++attemptIds;
    u.attemptId = id;
    u.attemptBase = SpokenText.wordStart(u.text, u.confirmed);
    u.lastProgressNanos = System.nanoTime();
    u.attempt = channel(position).start(sink(u, id, link.provider()));
    String rest = u.text.substring(u.attemptBase);
    if (!rest.isEmpty()) {
      u.attempt.append(rest);
    }
    if (u.flushed) {
      u.attempt.finish();
    }
  }

  private String noProvider() {
    return missing.isEmpty()
        ? "no TTS provider left to try"
        : "no TTS provider available: " + String.join(", ", missing);
  }

  private SpeechProvider.Channel channel(int at) {
    if (channelPosition != at || channel == null) {
      closeChannel();
      if (closed || at >= chain.size()) {
        return null;
      }
      Link link = chain.get(at);
      channel = link.provider().open(link.voice(), languageCode, loop);
      channelPosition = at;
    }
    return channel;
  }

  private void closeChannel() {
    if (channel != null) {
      channel.close();
      channel = null;
      channelPosition = -1;
    }
  }

  /** Adapter events, tagged with their attempt so late ones from a replaced attempt are ignored. */
  private SpeechProvider.Sink sink(Utterance u, long id, SpeechProvider provider) {
    return new SpeechProvider.Sink() {
      @Override
      public void audio(byte[] mulaw, TtsEvent.Alignment alignment) {
        onLoop(() -> onAudio(u, id, provider, mulaw, alignment));
      }

      @Override
      public void spoken(int chars) {
        onLoop(() -> onSpoken(u, id, chars));
      }

      @Override
      public void done() {
        onLoop(() -> onDone(u, id));
      }

      @Override
      public void failed(boolean retriable, String reason) {
        // A provider may echo the key it was sent; the reason is logged and stored.
        String safe = scrub.apply(reason);
        onLoop(() -> onFailed(u, id, provider, retriable, safe));
      }
    };
  }

  private boolean current(Utterance u, long id) {
    return u.attemptId == id && u.attempt != null && utterances.peekFirst() == u;
  }

  private void onAudio(
      Utterance u, long id, SpeechProvider provider, byte[] mulaw, TtsEvent.Alignment alignment) {
    if (!current(u, id)) {
      return;
    }
    u.lastProgressNanos = System.nanoTime();
    if (!u.heardAudio) {
      u.heardAudio = true;
      metrics.firstAudio(provider.name(), Duration.ofNanos(System.nanoTime() - u.startedNanos));
    }
    deliver(u, new TtsEvent.Audio(mulaw, u.seq, alignment));
  }

  private void onSpoken(Utterance u, long id, int chars) {
    if (!current(u, id)) {
      return;
    }
    u.lastProgressNanos = System.nanoTime();
    long absolute = (long) u.attemptBase + chars;
    u.confirmed = (int) Math.min(u.text.length(), Math.max(u.confirmed, absolute));
  }

  private void onDone(Utterance u, long id) {
    if (!current(u, id)) {
      return;
    }
    u.attempt = null;
    u.confirmed = u.text.length();
    utterances.pollFirst();
    deliver(u, new TtsEvent.Done(u.seq));
    startNext();
  }

  private void onFailed(
      Utterance u, long id, SpeechProvider provider, boolean retriable, String reason) {
    if (!current(u, id)) {
      return;
    }
    failOver(u, provider, retriable, reason);
  }

  private void failOver(Utterance u, SpeechProvider provider, boolean retriable, String reason) {
    metrics.failure(provider.name());
    u.attempt.abort();
    u.attempt = null;
    position++;
    if (position >= chain.size()) {
      log.warn("TTS failed on every provider; last: {}", reason);
      giveUp(u, retriable, reason);
      return;
    }
    String next = chain.get(position).provider().name();
    log.info("TTS falls back from {} to {}: {}", provider.name(), next, reason);
    metrics.fallback(provider.name(), next);
    begin(u);
  }

  /** Reports the failure and drops what is pending; the next utterance tries the chain again. */
  private void giveUp(Utterance u, boolean retriable, String reason) {
    deliver(u, new TtsEvent.Failed(retriable, reason));
    dropAll();
    position = 0;
  }

  private void startNext() {
    Utterance next = utterances.peekFirst();
    if (next != null && next.attempt == null && !next.text.isEmpty()) {
      begin(next);
    }
  }

  private void dropAll() {
    for (Utterance u : utterances) {
      if (u.attempt != null) {
        u.attempt.abort();
        u.attempt = null;
      }
    }
    utterances.clear();
  }

  /** An adapter that owes audio but has said nothing for too long counts as failed. */
  private void checkStall() {
    Utterance u = utterances.peekFirst();
    if (u == null || u.attempt == null || !u.flushed) {
      return;
    }
    if (System.nanoTime() - u.lastProgressNanos > properties.stallTimeout().toNanos()) {
      SpeechProvider provider = chain.get(position).provider();
      failOver(u, provider, true, provider.name() + " stalled");
    }
  }

  private void deliver(Utterance u, TtsEvent event) {
    if (u.epoch == epoch.get() && !closed) {
      listener.on(event);
    }
  }
}
