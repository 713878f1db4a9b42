package io.parley.sim.deepgram;

import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.SocketFaults;
import io.parley.sim.audio.EmissionLog;
import io.parley.sim.audio.Wav;
import io.parley.sim.http.Exchange;
import io.parley.sim.http.Params;
import io.parley.sim.http.SimServer;
import io.parley.sim.http.SocketFront;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import tools.jackson.databind.JsonNode;

/**
 * Deepgram: live transcription on the {@code /v1/listen} WebSocket and Aura speech on {@code POST
 * /v1/speak} and the {@code /v1/speak} WebSocket. Authentication is {@code Authorization: Token
 * <key>} or, on the sockets, the {@code token} subprotocol.
 */
public final class DeepgramSim implements AutoCloseable {
  private final DeepgramConfig config;
  private final Faults faults;
  private final SimClock clock;
  private final EmissionLog emissions;
  // Jetty on a private port (Aura REST and socket); the public port is the front's
  private final SimServer server;
  private final SocketFront front;
  private final List<ListenSession> sessions = new CopyOnWriteArrayList<>();
  private final List<SpeakSession> speakSessions = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final io.parley.sim.Timeline timeline;

  public DeepgramSim(
      DeepgramConfig config,
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
        hosting.start("deepgram", 0, this::route, c -> c.addMapping("/v1/speak", this::speak));
    // listen sockets carry every call's audio, 50 frames a second each: they are served on a Netty
    // event loop, which reads and analyses each frame on one thread
    this.front =
        SocketFront.start(
            "deepgram-listen",
            hosting.host(),
            config.port(),
            server.baseUri(),
            Map.of("/v1/listen", this::listen));
  }

  /** The base URL (PARLEY_DEEPGRAM_URL); use ws:// with the same host and port for listen. */
  public URI url() {
    return front.baseUri();
  }

  public String apiKey() {
    return config.apiKey();
  }

  public List<ListenSession> sessions() {
    return List.copyOf(sessions);
  }

  /** The Aura {@code /v1/speak} sockets opened so far. */
  public List<SpeakSession> speakSessions() {
    return List.copyOf(speakSessions);
  }

  public List<ListenSession> sessionsFor(String callSid) {
    return sessions.stream().filter(s -> callSid.equals(s.callSid())).toList();
  }

  @Override
  public void close() {
    closed.countDown();
    front.close();
    server.close();
  }

  /** The key of a socket handshake: the {@code Token} header or the {@code token} subprotocol. */
  private static String socketKey(ServerUpgradeRequest rq, ServerUpgradeResponse rs) {
    String auth = rq.getHeaders().get("Authorization");
    if (auth != null && auth.startsWith("Token ")) {
      return auth.substring(6).strip();
    }
    if (rq.hasSubProtocol("token")) {
      // browser clients send "Sec-WebSocket-Protocol: token, <key>"
      rs.setAcceptedSubProtocol("token");
      return rq.getSubProtocols().stream().filter(p -> !p.equals("token")).findFirst().orElse(null);
    }
    return null;
  }

  /** A listen handshake on the front: the key, the parameters, the faults armed for the call. */
  private SocketFront.Handshake listen(SocketFront.Upgrade rq) {
    String subprotocol = null;
    String key = null;
    String auth = rq.header("Authorization");
    if (auth != null && auth.startsWith("Token ")) {
      key = auth.substring(6).strip();
    } else if (rq.subprotocols().contains("token")) {
      // browser clients send "Sec-WebSocket-Protocol: token, <key>"
      subprotocol = "token";
      key = rq.subprotocols().stream().filter(p -> !p.equals("token")).findFirst().orElse(null);
    }
    if (!config.apiKey().equals(key)) {
      return refusal(401, "INVALID_AUTH", "Invalid credentials.", null);
    }
    ListenParams params = ListenParams.from(Params.parse(rq.query()));
    String problem = params.problem();
    if (problem != null) {
      return refusal(400, "Bad Request", problem, null);
    }
    String call = params.callSid();
    var failure = faults.take(Faults.Target.DEEPGRAM, call, Fault.ErrorStatus.class);
    if (failure.isPresent()) {
      int status = failure.get().status();
      return refusal(
          status,
          status == 429 ? "TOO_MANY_REQUESTS" : "INTERNAL_SERVER_ERROR",
          "simulated",
          status == 429 ? Long.toString(failure.get().retryAfter().toSeconds()) : null);
    }
    SocketFaults taken = SocketFaults.take(faults, Faults.Target.DEEPGRAM, call, 0);
    ListenSession session =
        new ListenSession(
            params,
            config,
            clock,
            taken.dropAfter(),
            taken.latencyMillis(),
            taken.hang(),
            timeline);
    sessions.add(session);
    return new SocketFront.Accept(subprotocol, session);
  }

  /** A handshake refused as Deepgram refuses it: a status, {@code dg-error} and a JSON body. */
  private static SocketFront.Refuse refusal(
      int status, String code, String message, String retryAfter) {
    String requestId = UUID.randomUUID().toString();
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("dg-error", message);
    headers.put("dg-request-id", requestId);
    if (retryAfter != null) {
      headers.put("Retry-After", retryAfter);
    }
    String body =
        Json.write(
            Json.object()
                .put("err_code", code)
                .put("err_msg", message)
                .put("request_id", requestId));
    return new SocketFront.Refuse(status, headers, body);
  }

  /**
   * Aura streaming: the {@code /v1/speak} WebSocket. Refuses what the REST endpoint refuses (any
   * encoding but mulaw, any rate but 8000); faults are simulator-wide, as Aura names no call.
   */
  private Object speak(
      ServerUpgradeRequest rq, ServerUpgradeResponse rs, org.eclipse.jetty.util.Callback cb) {
    if (!config.apiKey().equals(socketKey(rq, rs))) {
      reject(rs, cb, 401, "INVALID_AUTH", "Invalid credentials.");
      return null;
    }
    Params q = Params.parse(rq.getHttpURI().getQuery());
    // the socket's default encoding is linear16, which the simulator does not produce
    if (!q.first("encoding").orElse("linear16").equals("mulaw")) {
      reject(rs, cb, 400, "UNSUPPORTED_ENCODING", "the simulator speaks encoding=mulaw only");
      return null;
    }
    if (!q.first("sample_rate").orElse("8000").equals("8000")) {
      reject(rs, cb, 400, "UNSUPPORTED_SAMPLE_RATE", "the simulator speaks 8000 Hz only");
      return null;
    }
    if (rejectedByFault(rs, cb, null)) {
      return null;
    }
    SpeakSession session =
        new SpeakSession(
            q.first("model").orElse("aura-asteria-en"),
            clock,
            emissions,
            SocketFaults.take(faults, Faults.Target.DEEPGRAM, null, 0));
    speakSessions.add(session);
    return session;
  }

  /** Refuses the handshake when an error status fault is armed for the call (null: any). */
  private boolean rejectedByFault(
      ServerUpgradeResponse rs, org.eclipse.jetty.util.Callback cb, String call) {
    var failure = faults.take(Faults.Target.DEEPGRAM, call, Fault.ErrorStatus.class);
    if (failure.isEmpty()) {
      return false;
    }
    int status = failure.get().status();
    if (status == 429) {
      rs.getHeaders().put("Retry-After", Long.toString(failure.get().retryAfter().toSeconds()));
    }
    reject(
        rs, cb, status, status == 429 ? "TOO_MANY_REQUESTS" : "INTERNAL_SERVER_ERROR", "simulated");
    return true;
  }

  private static void reject(
      Response rs, org.eclipse.jetty.util.Callback cb, int status, String code, String message) {
    String requestId = UUID.randomUUID().toString();
    rs.setStatus(status);
    rs.getHeaders().put("Content-Type", "application/json");
    rs.getHeaders().put("dg-error", message);
    rs.getHeaders().put("dg-request-id", requestId);
    String body =
        Json.write(
            Json.object()
                .put("err_code", code)
                .put("err_msg", message)
                .put("request_id", requestId));
    Content.Sink.write(rs, true, body, cb);
  }

  /** Aura REST: {@code POST /v1/speak} returns audio for {@code {"text": ...}}. */
  private boolean route(Exchange ex) throws InterruptedException {
    if (!ex.path().equals("/v1/speak") || !ex.method().equals("POST")) {
      return false;
    }
    String auth = ex.header("Authorization");
    if (auth == null || !auth.equals("Token " + config.apiKey())) {
      error(ex, 401, "INVALID_AUTH", "Invalid credentials.");
      return true;
    }
    if (faults.delayOrHang(Faults.Target.DEEPGRAM, null, clock, closed)) {
      ex.abort();
      return true;
    }
    var failure = faults.take(Faults.Target.DEEPGRAM, null, Fault.ErrorStatus.class);
    if (failure.isPresent()) {
      if (failure.get().status() == 429) {
        ex.header("Retry-After", Long.toString(failure.get().retryAfter().toSeconds()));
      }
      error(ex, failure.get().status(), "SIMULATED", "simulated error");
      return true;
    }
    Params q = ex.query();
    String model = q.first("model").orElse("aura-asteria-en");
    String encoding = q.first("encoding").orElse("mp3");
    if (!encoding.equals("mulaw")) {
      error(ex, 400, "UNSUPPORTED_ENCODING", "the simulator speaks encoding=mulaw only");
      return true;
    }
    if (!q.first("sample_rate").orElse("8000").equals("8000")) {
      error(ex, 400, "UNSUPPORTED_SAMPLE_RATE", "the simulator speaks 8000 Hz only");
      return true;
    }
    JsonNode body = Json.parse(ex.body());
    String text = body.path("text").asString("");
    if (text.isBlank() || text.length() > 2000) {
      error(ex, 400, "INVALID_TEXT", "text must hold 1 to 2000 characters");
      return true;
    }
    byte[] audio = emissions.emit("aura", text).audio();
    // for mulaw the default container is wav: a 44+ byte header Twilio would play as noise
    boolean wav = !q.first("container").orElse("wav").equals("none");
    ex.header("dg-model-name", model);
    ex.header("dg-char-count", Integer.toString(text.length()));
    ex.header("dg-request-id", UUID.randomUUID().toString());
    Integer dropAfter =
        faults
            .take(Faults.Target.DEEPGRAM, null, Fault.DropMidStream.class)
            .map(Fault.DropMidStream::afterChunks)
            .orElse(null);
    byte[] payload = wav ? Wav.mulaw(audio) : audio;
    ex.streamAudio(wav ? "audio/wav" : "audio/mulaw", payload, dropAfter);
    return true;
  }

  private static void error(Exchange ex, int status, String code, String message) {
    ex.sendJson(
        status,
        Json.object()
            .put("err_code", code)
            .put("err_msg", message)
            .put("request_id", UUID.randomUUID().toString()));
  }
}
