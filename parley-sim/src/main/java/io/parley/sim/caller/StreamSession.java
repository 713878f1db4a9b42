package io.parley.sim.caller;

import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.audio.Mulaw;
import io.parley.sim.audio.Speech;
import io.parley.sim.audio.Wav;
import io.parley.sim.twilio.SimCall;
import io.parley.sim.twilio.Twiml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One bidirectional Media Stream, played as Twilio plays it: the caller's audio goes out as
 * 160-byte μ-law frames every 20 ms; the server's audio plays at real time (a chunk starts at the
 * later of its arrival and the end of the previous chunk); a mark is echoed when the audio queued
 * before it has played; a clear drops the unplayed audio and echoes every pending mark at once.
 */
final class StreamSession implements WebSocket.Listener {
  private static final int FRAME = 160;

  /** Mean absolute amplitude above which the server's audio counts as the agent talking. */
  private static final double SPEECH_ENERGY = 150;

  private record PendingMark(String name, long dueMicros, long receivedAt) {}

  private final SimCall call;
  private final Twiml.ConnectStream verb;
  private final CallMedia media;
  private final SimClock clock;
  private final String streamSid;
  private final SplittableRandom noise;
  private final ReentrantLock sendLock = new ReentrantLock();
  private final Object playout = new Object();
  private final List<PendingMark> pending = new ArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final StringBuilder partial = new StringBuilder();
  private final List<long[]> agentSpeech = new ArrayList<>();
  private WebSocket socket;
  private long playEndMicros;
  private int sequence;
  private volatile Thread markThread;
  private volatile boolean open = true;

  private final io.parley.sim.Timeline timeline;

  StreamSession(
      SimCall call,
      Twiml.ConnectStream verb,
      CallMedia media,
      String streamSid,
      io.parley.sim.Timeline timeline) {
    this.timeline = timeline;
    this.call = call;
    this.verb = verb;
    this.media = media;
    this.clock = call.clock();
    this.streamSid = streamSid;
    this.noise = new SplittableRandom(streamSid.hashCode());
  }

  /** Runs the stream on the call's owner thread until either side ends it. */
  void run(HttpClient http) throws InterruptedException {
    try {
      socket =
          http.newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .buildAsync(URI.create(verb.url()), this)
              .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      call.error("31920 Stream - WebSocket - Handshake Error: " + verb.url() + ": " + e);
      return;
    }
    media.streamStarted(streamSid, verb.parameters());
    markThread = Thread.ofVirtual().name("marks-" + streamSid).start(this::markLoop);
    try {
      send(Json.object().put("event", "connected").put("protocol", "Call").put("version", "1.0.0"));
      ObjectNode start = message("start");
      ObjectNode body = start.putObject("start");
      body.put("streamSid", streamSid)
          .put("accountSid", call.accountSid())
          .put("callSid", call.sid());
      body.putArray("tracks").add("inbound");
      ObjectNode params = body.putObject("customParameters");
      verb.parameters().forEach(params::put);
      body.putObject("mediaFormat")
          .put("encoding", "audio/x-mulaw")
          .put("sampleRate", 8000)
          .put("channels", 1);
      send(start);
      call.streamStatus(verb, streamSid, "stream-started");
      speak();
    } finally {
      open = false;
      markThread.interrupt();
      // a hang-up interrupts this thread; the webhook still goes out, then the interrupt stands
      boolean interrupted = Thread.interrupted();
      call.streamStatus(verb, streamSid, "stream-stopped");
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The caller's side: one frame every 20 ms from the script, until the stream ends. */
  private void speak() throws InterruptedException {
    ScriptPlayer script = new ScriptPlayer(call.script(), this, clock.nowMillis());
    long t0 = clock.nowMillis();
    for (long n = 0; closed.getCount() > 0; n++) {
      try {
        clock.sleepUntil(t0 + 20 * n);
      } catch (InterruptedException e) {
        stop();
        throw e;
      }
      if (closed.getCount() == 0) {
        return;
      }
      long now = clock.nowMillis();
      timeline.frameLateness(clock.nowMicros() - (t0 + 20 * n) * 1000);
      ScriptPlayer.Tick tick = script.tick(now);
      for (String digit : tick.digits()) {
        ObjectNode dtmf = message("dtmf");
        dtmf.putObject("dtmf").put("track", "inbound_track").put("digit", digit);
        send(dtmf);
        media.dtmf(digit);
      }
      byte[] frame = tick.audio() != null ? tick.audio() : Speech.comfortNoise(FRAME, noise);
      ObjectNode m = message("media");
      m.putObject("media")
          .put("track", "inbound")
          .put("chunk", Long.toString(n + 1))
          .put("timestamp", Long.toString(20 * n))
          .put("payload", Base64.getEncoder().encodeToString(frame));
      send(m);
      media.sent(new CallMedia.Sent(now, frame));
      if (tick.hangUp()) {
        // the caller hangs up: Twilio stops the stream and completes the call
        stop();
        call.hangUpByCaller();
        return;
      }
    }
  }

  // ---- what the script player needs to know about the agent ----

  Speech.Utterance synthesize(String text) {
    return Speech.synthesize(text, (call.sid() + text).hashCode());
  }

  void said(long at, Speech.Utterance u) {
    media.said(new CallMedia.Said(at, u));
  }

  byte[] noiseFrame() {
    return Speech.comfortNoise(FRAME, noise);
  }

  /** True while agent speech is playing at {@code nowMillis}. */
  boolean agentTalking(long nowMillis) {
    synchronized (playout) {
      long now = nowMillis * 1000;
      return agentSpeech.stream().anyMatch(s -> s[0] <= now && now < s[1]);
    }
  }

  /** When agent speech that started at or after {@code sinceMillis} began, or -1. */
  long agentStartedAfter(long sinceMillis) {
    synchronized (playout) {
      return agentSpeech.stream()
          .filter(s -> s[0] >= sinceMillis * 1000)
          .mapToLong(s -> s[0] / 1000)
          .min()
          .orElse(-1);
    }
  }

  /** When the last agent speech still playing after {@code sinceMillis} ends, or -1. */
  long agentSpeechEnd(long sinceMillis) {
    synchronized (playout) {
      return agentSpeech.stream()
          .filter(s -> s[1] > sinceMillis * 1000)
          .mapToLong(s -> (s[1] + 999) / 1000)
          .max()
          .orElse(-1);
    }
  }

  // ---- server messages ----

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      try {
        handle(Json.parse(text));
      } catch (RuntimeException e) {
        call.error("31951 Stream - Protocol - Invalid Message: " + e.getMessage());
      }
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    call.error("31951 Stream - Protocol - binary frames are not part of the protocol");
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.countDown();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.countDown();
  }

  private void handle(JsonNode msg) {
    String event = msg.path("event").asString("");
    if (!event.equals("media") && !event.equals("mark") && !event.equals("clear")) {
      call.error("31951 Stream - Protocol - unknown event '" + event + "'");
      return;
    }
    if (!streamSid.equals(msg.path("streamSid").asString(""))) {
      call.error("31951 Stream - Protocol - wrong or missing streamSid in " + event);
      return;
    }
    long nowMicros = clock.nowMicros();
    long now = nowMicros / 1000;
    switch (event) {
      case "media" -> {
        byte[] audio = Base64.getDecoder().decode(msg.path("media").path("payload").asString(""));
        if (Wav.looksLikeWav(audio)) {
          call.error("31951 RIFF/WAV header inside outbound media: payload must be raw mu-law");
        }
        media.received(new CallMedia.Received(now, audio, nowMicros));
        synchronized (playout) {
          long start = Math.max(now * 1000, playEndMicros);
          playEndMicros = start + audio.length * 125L;
          media.played(new CallMedia.Played(start, playEndMicros, audio));
          if (Mulaw.energy(audio, 0, audio.length) > SPEECH_ENERGY) {
            long[] last = agentSpeech.isEmpty() ? null : agentSpeech.getLast();
            if (last != null && last[1] == start) {
              last[1] = playEndMicros;
            } else {
              agentSpeech.add(new long[] {start, playEndMicros});
            }
          }
        }
      }
      case "mark" -> {
        String name = msg.path("mark").path("name").asString("");
        synchronized (playout) {
          long due = Math.max(now * 1000, playEndMicros);
          pending.add(new PendingMark(name, due, now));
          playout.notifyAll();
        }
        Thread t = markThread;
        if (t != null) {
          t.interrupt();
        }
      }
      case "clear" -> {
        List<PendingMark> flushed;
        synchronized (playout) {
          long at = nowMicros;
          media.cut(at, now);
          playEndMicros = Math.min(playEndMicros, at);
          for (long[] s : agentSpeech) {
            s[1] = Math.min(s[1], at);
          }
          flushed = new ArrayList<>(pending);
          pending.clear();
        }
        for (PendingMark p : flushed) {
          echo(p, now, true);
        }
      }
      default -> throw new IllegalStateException(event);
    }
  }

  /** Echoes marks when their audio has played; sleeps on the sim clock until the next is due. */
  private void markLoop() {
    while (open) {
      long due;
      synchronized (playout) {
        while (open && pending.isEmpty()) {
          try {
            playout.wait();
          } catch (InterruptedException e) {
            // re-check
          }
        }
        if (!open) {
          return;
        }
        due = pending.getFirst().dueMicros();
      }
      try {
        clock.sleepUntil((due + 999) / 1000);
      } catch (InterruptedException e) {
        continue;
      }
      List<PendingMark> ready = new ArrayList<>();
      long now = clock.nowMillis();
      synchronized (playout) {
        Iterator<PendingMark> it = pending.iterator();
        while (it.hasNext()) {
          PendingMark p = it.next();
          if (p.dueMicros() <= now * 1000) {
            ready.add(p);
            it.remove();
          }
        }
      }
      for (PendingMark p : ready) {
        echo(p, now, false);
      }
    }
  }

  private void echo(PendingMark p, long now, boolean byClear) {
    ObjectNode mark = message("mark");
    mark.putObject("mark").put("name", p.name());
    if (send(mark)) {
      media.mark(new CallMedia.Mark(p.name(), p.receivedAt(), now, byClear));
    }
  }

  private ObjectNode message(String event) {
    return Json.object().put("event", event).put("streamSid", streamSid);
  }

  /**
   * Sends one message; Twilio's side of the socket has exactly one writer at a time, which also
   * keeps sequence numbers in send order.
   */
  private boolean send(ObjectNode message) {
    if (closed.getCount() == 0) {
      return false;
    }
    sendLock.lock();
    try {
      ObjectNode out = message;
      if (!message.path("event").asString().equals("connected")) {
        out = Json.object().put("event", message.path("event").asString());
        out.put("sequenceNumber", Integer.toString(++sequence));
        out.setAll(message);
      }
      socket.sendText(Json.write(out), true).get(5, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      closed.countDown();
      return false;
    } finally {
      sendLock.unlock();
    }
  }

  /** Sends {@code stop} and closes the socket: the call ended or moved on. */
  private void stop() {
    ObjectNode stop = message("stop");
    stop.putObject("stop").put("accountSid", call.accountSid()).put("callSid", call.sid());
    send(stop);
    if (closed.getCount() > 0) {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        socket.abort();
      }
      closed.countDown();
    }
  }
}
