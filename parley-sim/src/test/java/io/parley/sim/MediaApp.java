package io.parley.sim;

import io.parley.sim.audio.SpeechDecoder;
import io.parley.sim.http.SimServer;
import io.parley.sim.http.SocketWriter;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Session;
import tools.jackson.databind.JsonNode;

/**
 * A tiny app for end-to-end tests: answers the voice webhook with {@code <Connect><Stream>} and
 * serves the Media Streams socket. It decodes the caller's words from the audio (dropping one frame
 * on purpose if asked) and lets the test script what it sends back.
 */
public final class MediaApp implements AutoCloseable {

  /** What the app does when the stream starts and on each caller frame. */
  public interface Behaviour {
    default void started(Stream stream) {}

    default void media(Stream stream, int chunk, byte[] audio) {}
  }

  /** One connected stream, from the app's side. */
  public static final class Stream {
    final SocketWriter out;
    public volatile String streamSid;
    public volatile JsonNode start;
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<String> words = new CopyOnWriteArrayList<>();
    public final List<String> marks = new CopyOnWriteArrayList<>();

    /** The {@code chunk} number of each media message, in arrival order. */
    public final List<Integer> chunks = new CopyOnWriteArrayList<>();

    private final SpeechDecoder decoder = new SpeechDecoder();

    Stream(Session session) {
      this.out = new SocketWriter(session);
    }

    public void sendAudio(byte[] audio) {
      out.text(
          Json.write(
              Json.object()
                  .put("event", "media")
                  .put("streamSid", streamSid)
                  .set(
                      "media",
                      Json.object().put("payload", Base64.getEncoder().encodeToString(audio)))));
    }

    public void mark(String name) {
      out.text(
          Json.write(
              Json.object()
                  .put("event", "mark")
                  .put("streamSid", streamSid)
                  .set("mark", Json.object().put("name", name))));
    }

    public void clear() {
      out.text(Json.write(Json.object().put("event", "clear").put("streamSid", streamSid)));
    }

    public void close() {
      out.close(1000, "done");
    }
  }

  private final SimServer server;
  public final List<Stream> streams = new CopyOnWriteArrayList<>();
  private volatile Behaviour behaviour = new Behaviour() {};
  private volatile int dropChunk = -1;

  public MediaApp() {
    server =
        io.parley.sim.http.Hosting.on("127.0.0.1")
            .start(
                "media-app",
                0,
                ex -> false,
                c -> c.addMapping("/media", (rq, rs, cb) -> new Listener()));
  }

  public String wsUrl() {
    return "ws://127.0.0.1:" + server.baseUri().getPort() + "/media";
  }

  public MediaApp behaviour(Behaviour b) {
    this.behaviour = b;
    return this;
  }

  /** Drops the caller frame with this chunk number before decoding, as a lossy network would. */
  public MediaApp dropChunk(int chunk) {
    this.dropChunk = chunk;
    return this;
  }

  @Override
  public void close() {
    server.close();
  }

  /** Public: Jetty binds listener methods through method handles. */
  public final class Listener implements Session.Listener.AutoDemanding {
    private Stream stream;
    private final AtomicInteger media = new AtomicInteger();

    @Override
    public void onWebSocketOpen(Session session) {
      stream = new Stream(session);
      streams.add(stream);
    }

    @Override
    public void onWebSocketText(String text) {
      JsonNode msg = Json.parse(text);
      String event = msg.path("event").asString();
      stream.events.add(event);
      switch (event) {
        case "start" -> {
          stream.streamSid = msg.path("streamSid").asString();
          stream.start = msg;
          behaviour.started(stream);
        }
        case "media" -> {
          int chunk = Integer.parseInt(msg.path("media").path("chunk").asString());
          stream.chunks.add(chunk);
          media.incrementAndGet();
          byte[] audio = Base64.getDecoder().decode(msg.path("media").path("payload").asString());
          if (chunk != dropChunk) {
            stream.decoder.feed(audio).forEach(w -> stream.words.add(w.text()));
            behaviour.media(stream, chunk, audio);
          }
        }
        case "mark" -> stream.marks.add(msg.path("mark").path("name").asString());
        default -> {}
      }
    }
  }
}
