package io.parley.sim.deepgram;

import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.SocketFaults;
import io.parley.sim.audio.EmissionLog;
import io.parley.sim.http.SocketWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Aura {@code /v1/speak} socket. {@code Speak} text is only buffered; {@code Flush} synthesizes
 * it, sends the audio as binary frames and then {@code Flushed}. {@code Clear} drops the buffered
 * text and every flush whose audio is not yet out (those get no {@code Flushed}) and answers {@code
 * Cleared}. {@code Close} lets flushed audio finish, then closes with 1000. More than 20 flushes in
 * 60 s get a {@code Warning} and are ignored, as are over-long, empty or unknown messages.
 */
public final class SpeakSession implements Session.Listener.AutoDemanding {
  static final int FLUSH_LIMIT = 20;
  static final long FLUSH_WINDOW_MILLIS = 60_000;
  static final int MAX_SPEAK_CHARS = 2000;

  /** 200 ms of μ-law per binary frame, as the REST endpoint streams it. */
  private static final int FRAME_BYTES = 1600;

  private final String model;
  private final SimClock clock;
  private final EmissionLog emissions;
  private final SocketFaults faults;
  private final String requestId = UUID.randomUUID().toString();
  private final ExecutorService generator =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("aura-gen").factory());
  private final List<String> flushed = new CopyOnWriteArrayList<>();
  // guarded by this
  private final StringBuilder buffer = new StringBuilder();
  private final ArrayDeque<Long> recentFlushes = new ArrayDeque<>();
  private int flushes;
  private int clears;
  private boolean closing;
  // guarded by sending: a Clear bumps it, and audio of an older epoch is never sent
  private final Object sending = new Object();
  private long epoch;
  private int sentFrames;
  private volatile boolean closed;
  private SocketWriter out;

  SpeakSession(String model, SimClock clock, EmissionLog emissions, SocketFaults faults) {
    this.model = model;
    this.clock = clock;
    this.emissions = emissions;
    this.faults = faults;
  }

  public String model() {
    return model;
  }

  /** The text of each accepted Flush that had text, in order. */
  public List<String> flushed() {
    return List.copyOf(flushed);
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    out = new SocketWriter(session);
    ObjectNode meta = Json.object().put("type", "Metadata");
    meta.put("request_id", requestId)
        .put("model_name", model)
        .put("model_version", "sim")
        .put(
            "model_uuid",
            UUID.nameUUIDFromBytes(model.getBytes(StandardCharsets.UTF_8)).toString());
    send(meta);
  }

  @Override
  public void onWebSocketText(String text) {
    JsonNode msg;
    try {
      msg = Json.parse(text);
    } catch (RuntimeException e) {
      warn("INVALID_MESSAGE", "message is not JSON");
      return;
    }
    synchronized (this) {
      if (closing) {
        return;
      }
      switch (msg.path("type").asString("")) {
        case "Speak" -> speak(msg.path("text").asString(""));
        case "Flush" -> flush();
        case "Clear" -> clear();
        case "Close" -> close();
        default -> warn("UNKNOWN_MESSAGE_TYPE", "unknown message type: " + msg.path("type"));
      }
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    closed = true;
    generator.shutdownNow();
  }

  private void speak(String text) {
    if (text.isEmpty()) {
      warn("EMPTY_TEXT", "Speak needs a non-empty text");
    } else if (text.length() > MAX_SPEAK_CHARS) {
      warn("TEXT_TOO_LONG", "a Speak message holds at most " + MAX_SPEAK_CHARS + " characters");
    } else {
      buffer.append(text);
    }
  }

  private void flush() {
    long now = clock.nowMillis();
    while (!recentFlushes.isEmpty() && recentFlushes.peekFirst() <= now - FLUSH_WINDOW_MILLIS) {
      recentFlushes.pollFirst();
    }
    if (recentFlushes.size() >= FLUSH_LIMIT) {
      warn(
          "FLUSH_LIMIT_EXCEEDED",
          "at most " + FLUSH_LIMIT + " Flush messages per 60 seconds; this one was ignored");
      return;
    }
    recentFlushes.addLast(now);
    int sequenceId = flushes++;
    String text = buffer.toString().strip();
    buffer.setLength(0);
    if (!text.isEmpty()) {
      flushed.add(text);
    }
    long flushEpoch;
    synchronized (sending) {
      flushEpoch = epoch;
    }
    generator.execute(
        () -> {
          if (!faults.awaitFirstAudio(clock)) {
            return;
          }
          if (!text.isEmpty() && !audio(text, flushEpoch)) {
            return;
          }
          synchronized (sending) {
            if (epoch == flushEpoch && !closed) {
              out.text(
                  Json.write(Json.object().put("type", "Flushed").put("sequence_id", sequenceId)));
            }
          }
        });
  }

  /** Sends a flush's audio; false when a Clear or a drop stopped it. */
  private boolean audio(String text, long flushEpoch) {
    synchronized (sending) {
      if (epoch != flushEpoch) {
        return false;
      }
    }
    byte[] audio = emissions.emit("aura", text).audio();
    for (int at = 0; at < audio.length; at += FRAME_BYTES) {
      byte[] frame = Arrays.copyOfRange(audio, at, Math.min(audio.length, at + FRAME_BYTES));
      synchronized (sending) {
        if (epoch != flushEpoch || closed) {
          return false;
        }
        if (faults.dropsAt(sentFrames)) {
          out.drop();
          closed = true;
          return false;
        }
        out.binary(frame);
        sentFrames++;
      }
    }
    return true;
  }

  private void clear() {
    buffer.setLength(0);
    synchronized (sending) {
      epoch++;
      if (!faults.hang() && !closed) {
        out.text(Json.write(Json.object().put("type", "Cleared").put("sequence_id", clears++)));
      }
    }
  }

  private void close() {
    closing = true;
    generator.execute(
        () -> {
          if (!faults.hang()) {
            out.close(1000, "");
          }
          closed = true;
        });
    generator.shutdown();
  }

  private void warn(String code, String description) {
    send(Json.object().put("type", "Warning").put("description", description).put("code", code));
  }

  private void send(ObjectNode message) {
    if (faults.hang()) {
      return;
    }
    synchronized (sending) {
      if (!closed) {
        out.text(Json.write(message));
      }
    }
  }
}
