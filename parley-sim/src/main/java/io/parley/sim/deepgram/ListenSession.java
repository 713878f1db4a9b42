package io.parley.sim.deepgram;

import io.netty.channel.EventLoop;
import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.audio.Mulaw;
import io.parley.sim.audio.Speech;
import io.parley.sim.audio.SpeechDecoder;
import io.parley.sim.http.SocketFront;
import io.parley.sim.http.SocketOut;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code /v1/listen} socket. Audio is analysed as it arrives, in audio time: 20 ms blocks drive
 * voice activity (SpeechStarted), the words hidden in the caller's synthetic speech become interim
 * and final Results, and silence of {@code endpointing} ms ends the utterance. Each message leaves
 * {@code latency} after the audio that caused it ({@code vadLatency} for SpeechStarted, which can
 * therefore overtake a transcript still on its way), and the socket closes when idle. The socket is
 * served on the simulator's Netty front ({@link SocketFront}): each audio frame is analysed on the
 * event loop that read it, and on the system clock that loop's timers send each message when due
 * (no thread of its own); on another clock one writer thread sleeps on it instead.
 */
public final class ListenSession implements SocketFront.Session {
  private static final int BLOCK = 160;

  /** A final transcript segment, as sent. */
  public record Final(String transcript, boolean speechFinal, boolean fromFinalize, double start) {}

  /**
   * A message as it left, on the sim clock: {@code SpeechStarted}, {@code UtteranceEnd}, or {@code
   * interim:}, {@code final:} or {@code speech_final:} followed by the transcript.
   */
  public record Sent(String label, long atMillis) {}

  private record Outgoing(
      long dueMillis, long order, String text, int closeCode, String closeReason, String label) {}

  private final ListenParams params;
  private final DeepgramConfig config;
  private final SimClock clock;
  private final Integer dropAfter;
  private final long extraLatency;
  private final boolean hang;
  private final String requestId = UUID.randomUUID().toString();
  private final SpeechDecoder decoder = new SpeechDecoder();
  private final List<Speech.Word> pending = new ArrayList<>();
  private final List<Final> finals = new CopyOnWriteArrayList<>();
  private final List<Sent> sentLog = new CopyOnWriteArrayList<>();
  // by due time, then in the order queued
  private final PriorityQueue<Outgoing> outbox =
      new PriorityQueue<>(
          Comparator.comparingLong(Outgoing::dueMillis).thenComparingLong(Outgoing::order));
  private long queued;
  private final byte[] block = new byte[BLOCK];
  private int blockFill;
  private long samples;
  private boolean inSpeech;
  private long silenceSamples;
  private long lastWordEnd = -1;
  private boolean utteranceEndSent = true;
  private volatile long lastActivity;
  private SocketOut out;
  private volatile Thread writer;
  // the socket's event loop when it sends by the loop's timers (system clock), else null
  private EventLoop loop;
  private ScheduledFuture<?> pump;
  private long pumpAt = Long.MAX_VALUE;
  private int sent;
  private volatile boolean closed;
  private boolean sleeping;
  private final io.parley.sim.Timeline timeline;

  ListenSession(
      ListenParams params,
      DeepgramConfig config,
      SimClock clock,
      Integer dropAfter,
      long extraLatency,
      boolean hang,
      io.parley.sim.Timeline timeline) {
    this.timeline = timeline;
    this.params = params;
    this.config = config;
    this.clock = clock;
    this.dropAfter = dropAfter;
    this.extraLatency = extraLatency;
    this.hang = hang;
  }

  public ListenParams params() {
    return params;
  }

  /** The call this socket belongs to, from {@code extra=call_sid:...}, or null. */
  public String callSid() {
    return params.callSid();
  }

  public List<Final> finals() {
    return List.copyOf(finals);
  }

  /** Every message sent so far (close frames aside), in order, with when it left. */
  public List<Sent> sent() {
    return List.copyOf(sentLog);
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void open(SocketOut socket, EventLoop loop) {
    out = socket;
    lastActivity = clock.nowMillis();
    // assigned before it runs, so the first queued message can already wake it
    if (loop != null && clock instanceof SimClock.System) {
      this.loop = loop;
      loop.execute(() -> schedulePump(lastActivity + config.idleTimeout().toMillis()));
      return;
    }
    writer = Thread.ofVirtual().name("deepgram-" + requestId).unstarted(this::writeLoop);
    writer.start();
  }

  @Override
  public void binary(byte[] bytes) {
    if (bytes.length == 0) {
      // an empty binary frame means end of stream, like CloseStream
      closeStream();
      return;
    }
    lastActivity = clock.nowMillis();
    synchronized (this) {
      audio(bytes);
    }
  }

  @Override
  public void text(String text) {
    JsonNode msg;
    try {
      msg = Json.parse(text);
    } catch (RuntimeException e) {
      enqueueClose(1008, "DATA-0000");
      return;
    }
    switch (msg.path("type").asString("")) {
      case "KeepAlive" -> lastActivity = clock.nowMillis();
      case "Finalize" -> {
        synchronized (this) {
          flushBlock();
          finalResult(false, true);
        }
      }
      case "CloseStream" -> closeStream();
      default -> enqueueClose(1008, "DATA-0000");
    }
  }

  @Override
  public void closed() {
    closed = true;
    if (writer != null) {
      writer.interrupt();
    }
  }

  private void closeStream() {
    synchronized (this) {
      flushBlock();
      finalResult(false, false);
      ObjectNode meta = Json.object().put("type", "Metadata");
      meta.put("transaction_key", "deprecated")
          .put("request_id", requestId)
          .put("sha256", "0".repeat(64))
          .put("created", Instant.now().toString())
          .put("duration", samples / 8000.0)
          .put("channels", 1);
      meta.putArray("models").add(modelUuid());
      enqueue(meta);
      enqueueClose(1000, "");
    }
  }

  /**
   * Analyses received audio block by block, in audio time: however the client frames it, words and
   * voice activity are seen in the order they occur in the audio.
   */
  private void audio(byte[] bytes) {
    for (byte b : bytes) {
      block[blockFill++] = b;
      if (blockFill == BLOCK) {
        blockFill = 0;
        samples += BLOCK;
        words();
        block();
      }
    }
  }

  /** Analyses a partly filled block as a short one (Finalize and CloseStream flush all audio). */
  private void flushBlock() {
    if (blockFill > 0) {
      samples += blockFill;
      wordsIn(blockFill);
      blockFill = 0;
    }
  }

  private void words() {
    wordsIn(BLOCK);
  }

  private void wordsIn(int length) {
    for (Speech.Word w : decoder.feed(block, 0, length)) {
      pending.add(w);
      lastWordEnd = w.end();
      utteranceEndSent = false;
      if (params.interimResults()) {
        enqueue(results(false, false, false));
      }
    }
  }

  private void block() {
    boolean speech = Mulaw.energy(block, 0, BLOCK) > config.speechEnergy();
    if (speech) {
      silenceSamples = 0;
      if (!inSpeech) {
        inSpeech = true;
        if (params.vadEvents()) {
          ObjectNode started = Json.object().put("type", "SpeechStarted");
          started.putArray("channel").add(0);
          started.put("timestamp", (samples - BLOCK) / 8000.0);
          enqueue(started, config.vadLatency().toMillis());
        }
      }
      return;
    }
    silenceSamples += BLOCK;
    long silenceMs = silenceSamples / 8;
    if (inSpeech && params.endpointing() >= 0 && silenceMs >= params.endpointing()) {
      inSpeech = false;
      finalResult(true, false);
    }
    if (params.utteranceEndMs() > 0
        && !utteranceEndSent
        && pending.isEmpty()
        && lastWordEnd >= 0
        && (samples - lastWordEnd) / 8 >= params.utteranceEndMs()) {
      utteranceEndSent = true;
      ObjectNode end = Json.object().put("type", "UtteranceEnd");
      end.putArray("channel").add(0).add(1);
      end.put("last_word_end", lastWordEnd / 8000.0);
      enqueue(end);
    }
  }

  private void finalResult(boolean speechFinal, boolean fromFinalize) {
    if (pending.isEmpty() && !fromFinalize) {
      return;
    }
    ObjectNode r = results(true, speechFinal, fromFinalize);
    finals.add(
        new Final(
            r.path("channel").path("alternatives").get(0).path("transcript").asString(),
            speechFinal,
            fromFinalize,
            r.path("start").asDouble()));
    enqueue(r);
    pending.clear();
  }

  private ObjectNode results(boolean isFinal, boolean speechFinal, boolean fromFinalize) {
    double start = pending.isEmpty() ? samples / 8000.0 : pending.getFirst().startSeconds();
    double end = pending.isEmpty() ? start : pending.getLast().endSeconds();
    ObjectNode r = Json.object().put("type", "Results");
    r.putArray("channel_index").add(0).add(1);
    r.put("duration", Math.max(0, end - start))
        .put("start", start)
        .put("is_final", isFinal)
        .put("speech_final", speechFinal)
        .put("from_finalize", fromFinalize);
    ObjectNode alt = r.putObject("channel").putArray("alternatives").addObject();
    alt.put("transcript", String.join(" ", pending.stream().map(Speech.Word::text).toList()))
        .put("confidence", pending.isEmpty() ? 0.0 : 0.99);
    ArrayNode words = alt.putArray("words");
    for (Speech.Word w : pending) {
      words
          .addObject()
          .put(
              "word",
              w.text().toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}']", ""))
          .put("start", w.startSeconds())
          .put("end", w.endSeconds())
          .put("confidence", 0.99)
          .put("punctuated_word", w.text());
    }
    ObjectNode meta = r.putObject("metadata");
    meta.put("request_id", requestId).put("model_uuid", modelUuid());
    meta.putObject("model_info")
        .put("name", params.model())
        .put("version", "sim")
        .put("arch", "sim");
    return r;
  }

  private String modelUuid() {
    return UUID.nameUUIDFromBytes(params.model().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  private void enqueue(ObjectNode message) {
    enqueue(message, config.latency().toMillis());
  }

  private void enqueue(ObjectNode message, long latencyMillis) {
    if (hang) {
      return;
    }
    synchronized (outbox) {
      outbox.add(
          new Outgoing(
              dueTime(latencyMillis), queued++, Json.write(message), 0, null, label(message)));
      wakeWriter();
    }
  }

  private void enqueueClose(int code, String reason) {
    synchronized (outbox) {
      outbox.add(
          new Outgoing(dueTime(config.latency().toMillis()), queued++, null, code, reason, null));
      wakeWriter();
    }
  }

  /** Interrupts the writer only while it sleeps, never while it sends. Called holding outbox. */
  private void wakeWriter() {
    if (loop != null) {
      Outgoing next = outbox.peek();
      if (next != null) {
        if (loop.inEventLoop()) {
          schedulePump(next.dueMillis());
        } else {
          long due = next.dueMillis();
          loop.execute(() -> schedulePump(due));
        }
      }
      return;
    }
    if (sleeping && writer != null) {
      writer.interrupt();
    }
  }

  /** On the loop: makes sure the pump runs by {@code dueMillis}. */
  private void schedulePump(long dueMillis) {
    if (closed || dueMillis >= pumpAt) {
      return;
    }
    if (pump != null) {
      pump.cancel(false);
    }
    pumpAt = dueMillis;
    long delayMicros = Math.max(0, dueMillis * 1000 - clock.nowMicros());
    pump = loop.schedule(this::pumpNow, delayMicros, TimeUnit.MICROSECONDS);
  }

  /** On the loop: sends every message that is due, closes an idle socket, plans the next run. */
  private void pumpNow() {
    pump = null;
    pumpAt = Long.MAX_VALUE;
    if (closed) {
      return;
    }
    long idleDeadline = lastActivity + config.idleTimeout().toMillis();
    if (clock.nowMillis() >= idleDeadline) {
      // Deepgram closes a socket that got neither audio nor KeepAlive for about 10 s
      out.close(1011, "NET-0001");
      closed = true;
      return;
    }
    while (true) {
      Outgoing next;
      synchronized (outbox) {
        next = outbox.peek();
        if (next == null || next.dueMillis() > clock.nowMillis()) {
          break;
        }
        outbox.poll();
      }
      if (!send(next)) {
        return;
      }
    }
    Outgoing next;
    synchronized (outbox) {
      next = outbox.peek();
    }
    schedulePump(next == null ? idleDeadline : Math.min(next.dueMillis(), idleDeadline));
  }

  /** Sends one message (or the close it is); false once the socket is done. */
  private boolean send(Outgoing next) {
    if (next.text() == null) {
      out.close(next.closeCode(), next.closeReason());
      closed = true;
      return false;
    }
    if (dropAfter != null && sent >= dropAfter) {
      out.drop();
      closed = true;
      return false;
    }
    out.text(next.text());
    sentLog.add(new Sent(next.label(), clock.nowMillis()));
    sent++;
    timeline.add(io.parley.sim.Timeline.Kind.STT_SENT, callSid(), 0, next.label());
    return true;
  }

  /**
   * What a message is, for the timeline: {@code SpeechStarted}, {@code UtteranceEnd}, or {@code
   * interim:}, {@code final:} or {@code speech_final:} followed by the transcript.
   */
  private static String label(ObjectNode message) {
    String type = message.path("type").asString("");
    if (!type.equals("Results")) {
      return type;
    }
    String transcript =
        message.path("channel").path("alternatives").path(0).path("transcript").asString("");
    if (message.path("speech_final").asBoolean()) {
      return "speech_final:" + transcript;
    }
    return (message.path("is_final").asBoolean() ? "final:" : "interim:") + transcript;
  }

  private long dueTime(long latencyMillis) {
    return clock.nowMillis() + latencyMillis + extraLatency;
  }

  /** The single writer: sends each message when due, and closes an idle socket. */
  private void writeLoop() {
    while (!closed) {
      long wake;
      synchronized (outbox) {
        Outgoing next = outbox.peek();
        long idleDeadline = lastActivity + config.idleTimeout().toMillis();
        wake = next == null ? idleDeadline : Math.min(next.dueMillis(), idleDeadline);
        // checked and flagged under the lock, so a message queued from now on wakes the sleep
        sleeping = true;
      }
      try {
        clock.sleepUntil(wake);
      } catch (InterruptedException e) {
        // a message was queued (or the socket closed): plan again
      } finally {
        synchronized (outbox) {
          sleeping = false;
        }
        Thread.interrupted();
      }
      Outgoing next;
      if (closed) {
        return;
      }
      if (clock.nowMillis() >= lastActivity + config.idleTimeout().toMillis()) {
        // Deepgram closes a socket that got neither audio nor KeepAlive for about 10 s
        out.close(1011, "NET-0001");
        closed = true;
        return;
      }
      synchronized (outbox) {
        next = outbox.peek();
        if (next == null || next.dueMillis() > clock.nowMillis()) {
          continue;
        }
        outbox.poll();
      }
      if (!send(next)) {
        return;
      }
    }
  }
}
