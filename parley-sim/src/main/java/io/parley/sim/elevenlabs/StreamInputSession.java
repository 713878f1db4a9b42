package io.parley.sim.elevenlabs;

import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.SocketFaults;
import io.parley.sim.audio.EmissionLog;
import io.parley.sim.http.SocketWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code stream-input} socket. Text is buffered and generated only when the chunk-length
 * schedule (120 characters first, by default) is reached, on {@code flush}, with {@code auto_mode}
 * at a sentence end, or at the close; each generation's audio follows after the configured delay.
 * The socket closes after {@code inactivity_timeout} seconds without a message.
 */
public final class StreamInputSession implements Session.Listener.AutoDemanding {
  private final StreamHandshake handshake;
  private final SimClock clock;
  private final EmissionLog emissions;
  private final SocketFaults faults;
  private final ExecutorService generator =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("elevenlabs-gen").factory());
  private final List<String> generated = new CopyOnWriteArrayList<>();
  // null until the init message
  private TextBuffer buffer;
  private final IdleWatch idle;
  private volatile boolean closed;
  private int sentAudio;
  private SocketWriter out;
  private final io.parley.sim.Timeline timeline;
  private final String socketId;

  StreamInputSession(
      StreamHandshake handshake,
      SimClock clock,
      EmissionLog emissions,
      SocketFaults faults,
      io.parley.sim.Timeline timeline) {
    this.timeline = timeline;
    this.socketId = Long.toString(timeline.nextId());
    this.handshake = handshake;
    this.clock = clock;
    this.idle = new IdleWatch(clock, handshake.inactivityMillis());
    this.emissions = emissions;
    this.faults = faults;
  }

  public String voiceId() {
    return handshake.voiceId();
  }

  /** The text of each generation, in order. */
  public List<String> generated() {
    return List.copyOf(generated);
  }

  @Override
  public void onWebSocketOpen(Session session) {
    out = new SocketWriter(session);
    idle.start("elevenlabs-idle", () -> closed, this::timeOut);
  }

  @Override
  public void onWebSocketText(String text) {
    idle.touch();
    JsonNode msg;
    try {
      msg = Json.parse(text);
    } catch (RuntimeException e) {
      fail("invalid_message", "message is not JSON");
      return;
    }
    synchronized (this) {
      if (buffer == null) {
        init(msg);
        return;
      }
      String chunk = msg.path("text").asString(null);
      if (chunk == null) {
        fail("invalid_message", "every message needs a text field");
        return;
      }
      if (chunk.isEmpty()) {
        // end of input: generate what is left, send the final message, close
        generate(buffer.drain());
        generator.execute(
            () -> {
              out.text(Json.write(Json.object().put("isFinal", true)));
              out.close(1000, "");
              closed = true;
            });
        return;
      }
      if (!chunk.isBlank()) {
        timeline.add(io.parley.sim.Timeline.Kind.TTS_TEXT, socketId, 0, chunk);
      }
      generate(
          buffer.add(
              chunk,
              msg.path("flush").asBoolean(false),
              msg.path("try_trigger_generation").asBoolean(false)));
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    closed = true;
    generator.shutdownNow();
    idle.stop();
  }

  private void init(JsonNode msg) {
    if (!" ".equals(msg.path("text").asString(null))) {
      fail("invalid_message", "the first message must initialise the stream with text \" \"");
      return;
    }
    if (!handshake.acceptsKeyOf(msg)) {
      fail("invalid_api_key", "Invalid API key");
      return;
    }
    buffer =
        new TextBuffer(
            handshake.autoMode(),
            TextBuffer.schedule(msg.path("generation_config"), TextBuffer.DEFAULT_SCHEDULE));
  }

  /** Queues generation of a text; audio follows in order on the generator thread. */
  private void generate(String text) {
    if (text.isEmpty()) {
      return;
    }
    generated.add(text);
    generator.execute(
        () -> {
          if (!faults.awaitFirstAudio(clock)) {
            return;
          }
          EmissionLog.Emission e = emissions.emit("elevenlabs", text);
          List<ObjectNode> messages = Synthesis.messages(e);
          for (int i = 0; i < messages.size(); i++) {
            if (faults.dropsAt(sentAudio)) {
              out.drop();
              closed = true;
              return;
            }
            if (i == 0) {
              timeline.add(io.parley.sim.Timeline.Kind.TTS_FIRST_AUDIO, socketId, e.id(), text);
            }
            out.text(Json.write(messages.get(i)));
            sentAudio++;
          }
          timeline.add(io.parley.sim.Timeline.Kind.TTS_LAST_AUDIO, socketId, e.id(), text);
        });
  }

  private void fail(String status, String message) {
    out.text(Json.write(Json.object().put("error", status).put("message", message)));
    out.close(1008, message);
    closed = true;
  }

  /** The inactivity timeout: queued behind the audio already generating, then close. */
  private void timeOut() {
    generator.execute(
        () -> {
          out.text(
              Json.write(
                  Json.object()
                      .put("error", "input_timeout_exceeded")
                      .put("message", idle.message())));
          out.close(1008, "input_timeout_exceeded");
          closed = true;
        });
  }
}
