package io.parley.sim.elevenlabs;

import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.SocketFaults;
import io.parley.sim.audio.EmissionLog;
import io.parley.sim.http.SocketWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code multi-stream-input} socket: up to five contexts, each named by the {@code context_id}
 * of every message and created by its first one. Each context buffers text by the same rules as
 * {@code stream-input} ({@link TextBuffer}) and generates on its own thread, so contexts
 * interleave; its audio messages carry {@code contextId}. A flush is answered, once its audio is
 * out, by {@code {"isFinal":true,"contextId":..}}. {@code close_context} stops the context at once:
 * audio not yet sent is dropped and nothing more comes for it. {@code close_socket} flushes every
 * context, sends each one's final message and closes with 1000.
 */
public final class MultiStreamInputSession implements Session.Listener.AutoDemanding {
  static final int MAX_CONTEXTS = 5;

  /** One generation: which context and what text. */
  public record Generation(String contextId, String text) {}

  private final StreamHandshake handshake;
  private final SimClock clock;
  private final EmissionLog emissions;
  private final SocketFaults faults;
  private final List<Generation> generated = new CopyOnWriteArrayList<>();
  private final Set<String> closedContexts = ConcurrentHashMap.newKeySet();
  // guarded by this
  private final Map<String, Context> contexts = new LinkedHashMap<>();
  // held to check a context's state and send in one step, so a closed context sends nothing more
  private final Object sending = new Object();
  // the schedule of the socket's first message, the default for contexts that set none
  private List<Integer> schedule;
  private boolean closing;
  private final IdleWatch idle;
  private volatile boolean closed;
  private int sentAudio;
  private SocketWriter out;

  private final class Context {
    final String id;
    final TextBuffer text;
    final ExecutorService generator;
    // written holding sending
    volatile boolean closed;

    Context(String id, TextBuffer text) {
      this.id = id;
      this.text = text;
      this.generator =
          Executors.newSingleThreadExecutor(
              Thread.ofVirtual().name("elevenlabs-ctx-" + id).factory());
    }
  }

  MultiStreamInputSession(
      StreamHandshake handshake, SimClock clock, EmissionLog emissions, SocketFaults faults) {
    this.handshake = handshake;
    this.clock = clock;
    this.idle = new IdleWatch(clock, handshake.inactivityMillis());
    this.emissions = emissions;
    this.faults = faults;
  }

  public String voiceId() {
    return handshake.voiceId();
  }

  /** The text of each generation with its context, in the order generation was triggered. */
  public List<Generation> generated() {
    return List.copyOf(generated);
  }

  /** The contexts the client closed with {@code close_context}. */
  public Set<String> closedContexts() {
    return Set.copyOf(closedContexts);
  }

  @Override
  public void onWebSocketOpen(Session session) {
    out = new SocketWriter(session);
    idle.start(
        "elevenlabs-multi-idle",
        () -> closed,
        () -> fail("input_timeout_exceeded", idle.message(), "input_timeout_exceeded"));
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
      if (closing) {
        return;
      }
      if (schedule == null && !init(msg)) {
        return;
      }
      if (msg.path("close_socket").asBoolean(false)) {
        closeSocket();
        return;
      }
      String id = msg.path("context_id").asString(msg.path("contextId").asString(null));
      if (id == null || id.isEmpty()) {
        fail("invalid_message", "every message needs a context_id");
        return;
      }
      Context ctx = contexts.get(id);
      if (msg.path("close_context").asBoolean(false)) {
        if (ctx != null) {
          closeContext(ctx);
        }
        return;
      }
      if (ctx == null) {
        if (closedContexts.contains(id)) {
          // text racing a barge-in: the context is gone, and so is anything sent to it
          return;
        }
        if (contexts.size() >= MAX_CONTEXTS) {
          fail(
              "max_active_conversations",
              "at most " + MAX_CONTEXTS + " contexts can be open on one connection");
          return;
        }
        ctx =
            new Context(
                id,
                new TextBuffer(
                    handshake.autoMode(),
                    TextBuffer.schedule(msg.path("generation_config"), schedule)));
        contexts.put(id, ctx);
      }
      String chunk = msg.path("text").asString(null);
      boolean flush = msg.path("flush").asBoolean(false);
      if (chunk == null && !flush) {
        fail("invalid_message", "a message needs text, flush, close_context or close_socket");
        return;
      }
      if (chunk != null && chunk.isEmpty() && !flush) {
        // {"context_id":..,"text":""} keeps the context alive; it does not end it
        return;
      }
      generate(
          ctx,
          ctx.text.add(
              chunk == null ? "" : chunk,
              flush,
              msg.path("try_trigger_generation").asBoolean(false)));
      if (flush) {
        Context flushed = ctx;
        ctx.generator.execute(() -> sendFinal(flushed));
      }
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    closed = true;
    synchronized (this) {
      contexts.values().forEach(c -> c.generator.shutdownNow());
    }
    idle.stop();
  }

  /** The socket's first message: checks the key when the handshake had none, sets the schedule. */
  private boolean init(JsonNode msg) {
    if (!handshake.acceptsKeyOf(msg)) {
      fail("invalid_api_key", "Invalid API key");
      return false;
    }
    schedule = TextBuffer.schedule(msg.path("generation_config"), TextBuffer.DEFAULT_SCHEDULE);
    return true;
  }

  /** Queues generation of a context's text; its audio follows on the context's thread. */
  private void generate(Context ctx, String text) {
    if (text.isEmpty()) {
      return;
    }
    generated.add(new Generation(ctx.id, text));
    ctx.generator.execute(
        () -> {
          if (!faults.awaitFirstAudio(clock)) {
            return;
          }
          if (ctx.closed) {
            return;
          }
          EmissionLog.Emission e = emissions.emit("elevenlabs", text);
          for (ObjectNode m : Synthesis.messages(e)) {
            m.put("contextId", ctx.id);
            synchronized (sending) {
              if (ctx.closed || closed) {
                return;
              }
              if (faults.dropsAt(sentAudio)) {
                out.drop();
                closed = true;
                return;
              }
              out.text(Json.write(m));
              sentAudio++;
            }
          }
        });
  }

  private void sendFinal(Context ctx) {
    if (faults.hang()) {
      return;
    }
    synchronized (sending) {
      if (!ctx.closed && !closed) {
        out.text(Json.write(Json.object().put("isFinal", true).put("contextId", ctx.id)));
      }
    }
  }

  /** Stops a context at once: queued and unsent audio is dropped, the id cannot come back. */
  private void closeContext(Context ctx) {
    synchronized (sending) {
      ctx.closed = true;
    }
    ctx.generator.shutdownNow();
    contexts.remove(ctx.id);
    closedContexts.add(ctx.id);
  }

  /** Flushes every context, sends each one's final message, then closes the socket with 1000. */
  private void closeSocket() {
    closing = true;
    List<Context> open = new ArrayList<>(contexts.values());
    for (Context ctx : open) {
      generate(ctx, ctx.text.drain());
      ctx.generator.execute(() -> sendFinal(ctx));
      ctx.generator.shutdown();
    }
    Thread.ofVirtual()
        .name("elevenlabs-multi-close")
        .start(
            () -> {
              for (Context ctx : open) {
                try {
                  ctx.generator.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                  return;
                }
              }
              if (!faults.hang()) {
                out.close(1000, "");
              }
              closed = true;
            });
  }

  private void fail(String status, String message) {
    fail(status, message, message);
  }

  /** An error message, then close 1008, as stream-input does. */
  private void fail(String status, String message, String reason) {
    synchronized (sending) {
      out.text(Json.write(Json.object().put("error", status).put("message", message)));
      out.close(1008, reason);
      closed = true;
    }
  }
}
