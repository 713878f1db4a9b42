package io.parley.sim.elevenlabs;

import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.SocketFaults;
import io.parley.sim.audio.EmissionLog;
import io.parley.sim.audio.Mulaw;
import io.parley.sim.http.Exchange;
import io.parley.sim.http.Params;
import io.parley.sim.http.SimServer;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ElevenLabs text to speech: the {@code stream-input} and {@code multi-stream-input} WebSockets and
 * the REST endpoints, {@code xi-api-key} checked, audio in {@code ulaw_8000} (or {@code pcm_8000}
 * on REST).
 */
public final class ElevenLabsSim implements AutoCloseable {
  private static final Pattern REST = Pattern.compile("/v1/text-to-speech/([^/]+)(/stream)?");
  private static final Pattern SOCKET =
      Pattern.compile("/v1/text-to-speech/([^/]+)/(stream-input|multi-stream-input)");

  private final ElevenLabsConfig config;
  private final Faults faults;
  private final SimClock clock;
  private final EmissionLog emissions;
  private final SimServer server;
  private final List<StreamInputSession> sessions = new CopyOnWriteArrayList<>();
  private final List<MultiStreamInputSession> multiSessions = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final io.parley.sim.Timeline timeline;

  public ElevenLabsSim(
      ElevenLabsConfig config,
      Faults faults,
      SimClock clock,
      EmissionLog emissions,
      io.parley.sim.http.Hosting hosting,
      io.parley.sim.Timeline timeline) {
    this.timeline = timeline;
    this.config = config;
    this.faults = faults;
    this.clock = clock;
    this.emissions = emissions;
    this.server =
        hosting.start(
            "elevenlabs",
            config.port(),
            this::route,
            c -> {
              c.addMapping("^/v1/text-to-speech/[^/]+/stream-input$", this::socket);
              c.addMapping("^/v1/text-to-speech/[^/]+/multi-stream-input$", this::socket);
            });
  }

  /** The base URL (PARLEY_ELEVENLABS_URL). */
  public URI url() {
    return server.baseUri();
  }

  public String apiKey() {
    return config.apiKey();
  }

  /** The {@code stream-input} sockets opened so far. */
  public List<StreamInputSession> sessions() {
    return List.copyOf(sessions);
  }

  /** The {@code multi-stream-input} sockets opened so far. */
  public List<MultiStreamInputSession> multiSessions() {
    return List.copyOf(multiSessions);
  }

  @Override
  public void close() {
    closed.countDown();
    server.close();
  }

  private Object socket(
      ServerUpgradeRequest rq, ServerUpgradeResponse rs, org.eclipse.jetty.util.Callback cb) {
    Matcher m = SOCKET.matcher(rq.getHttpURI().getPath());
    if (!m.matches()) {
      return null;
    }
    Params q = Params.parse(rq.getHttpURI().getQuery());
    String header = rq.getHeaders().get("xi-api-key");
    String bearer = q.get("authorization");
    boolean keyGiven = header != null || bearer != null;
    if (keyGiven
        && !config.apiKey().equals(header)
        && !("Bearer " + config.apiKey()).equals(bearer)) {
      reject(rs, cb, 401, "invalid_api_key", "Invalid API key");
      return null;
    }
    String format = q.first("output_format").orElse("mp3_44100_128");
    if (!format.equals("ulaw_8000")) {
      reject(rs, cb, 422, "unsupported_output_format", "the simulator produces ulaw_8000 only");
      return null;
    }
    var failure = faults.take(Faults.Target.ELEVENLABS, null, Fault.ErrorStatus.class);
    if (failure.isPresent()) {
      int status = failure.get().status();
      if (status == 429) {
        rs.getHeaders().put("Retry-After", Long.toString(failure.get().retryAfter().toSeconds()));
      }
      reject(
          rs,
          cb,
          status,
          status == 429 ? "too_many_concurrent_requests" : "simulated_error",
          "simulated");
      return null;
    }
    SocketFaults taken =
        SocketFaults.take(faults, Faults.Target.ELEVENLABS, null, config.firstAudio().toMillis());
    StreamHandshake handshake =
        new StreamHandshake(
            m.group(1),
            Boolean.parseBoolean(q.first("auto_mode").orElse("false")),
            Long.parseLong(q.first("inactivity_timeout").orElse("20")) * 1000,
            keyGiven,
            config.apiKey());
    if (m.group(2).equals("multi-stream-input")) {
      MultiStreamInputSession session =
          new MultiStreamInputSession(handshake, clock, emissions, taken);
      multiSessions.add(session);
      return session;
    }
    StreamInputSession session =
        new StreamInputSession(handshake, clock, emissions, taken, timeline);
    sessions.add(session);
    return session;
  }

  private static void reject(
      Response rs, org.eclipse.jetty.util.Callback cb, int status, String code, String message) {
    rs.setStatus(status);
    rs.getHeaders().put("Content-Type", "application/json");
    Content.Sink.write(rs, true, Json.write(detail(code, message)), cb);
  }

  private static ObjectNode detail(String status, String message) {
    ObjectNode body = Json.object();
    body.putObject("detail").put("status", status).put("message", message);
    return body;
  }

  private boolean route(Exchange ex) throws InterruptedException {
    Matcher m = REST.matcher(ex.path());
    if (!m.matches() || !ex.method().equals("POST")) {
      return false;
    }
    if (!config.apiKey().equals(ex.header("xi-api-key"))) {
      ex.sendJson(401, detail("invalid_api_key", "Invalid API key"));
      return true;
    }
    if (faults.delayOrHang(Faults.Target.ELEVENLABS, null, clock, closed)) {
      ex.abort();
      return true;
    }
    var failure = faults.take(Faults.Target.ELEVENLABS, null, Fault.ErrorStatus.class);
    if (failure.isPresent()) {
      int status = failure.get().status();
      if (status == 429) {
        ex.header("Retry-After", Long.toString(failure.get().retryAfter().toSeconds()));
        ex.sendJson(429, detail("too_many_concurrent_requests", "Too many concurrent requests"));
      } else {
        ex.sendJson(status, detail("simulated_error", "Simulated error " + status));
      }
      return true;
    }
    String format = ex.query().first("output_format").orElse("mp3_44100_128");
    if (!format.equals("ulaw_8000") && !format.equals("pcm_8000")) {
      ex.sendJson(
          422, detail("unsupported_output_format", "the simulator produces ulaw_8000 or pcm_8000"));
      return true;
    }
    JsonNode body = Json.parse(ex.body());
    String text = body.path("text").asString("");
    if (text.isBlank()) {
      ObjectNode error = Json.object();
      error
          .putArray("detail")
          .addObject()
          .put("msg", "field required")
          .put("type", "missing")
          .putArray("loc")
          .add("body")
          .add("text");
      ex.sendJson(422, error);
      return true;
    }
    clock.sleep(config.firstAudio());
    byte[] audio = emissions.emit("elevenlabs", text).audio();
    byte[] payload = format.equals("ulaw_8000") ? audio : pcm(audio);
    ex.header("request-id", UUID.randomUUID().toString());
    ex.header("history-item-id", UUID.randomUUID().toString().replace("-", ""));
    ex.header("x-character-count", Integer.toString(text.length()));
    Integer dropAfter =
        faults
            .take(Faults.Target.ELEVENLABS, null, Fault.DropMidStream.class)
            .map(Fault.DropMidStream::afterChunks)
            .orElse(null);
    ex.streamAudio(format.equals("ulaw_8000") ? "audio/basic" : "audio/pcm", payload, dropAfter);
    return true;
  }

  /** 16-bit little-endian linear PCM of μ-law audio. */
  private static byte[] pcm(byte[] ulaw) {
    byte[] out = new byte[ulaw.length * 2];
    for (int i = 0; i < ulaw.length; i++) {
      short s = Mulaw.decode(ulaw[i]);
      out[2 * i] = (byte) s;
      out[2 * i + 1] = (byte) (s >> 8);
    }
    return out;
  }
}
