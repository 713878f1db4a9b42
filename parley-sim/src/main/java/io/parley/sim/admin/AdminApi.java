package io.parley.sim.admin;

import io.parley.sim.AdminConfig;
import io.parley.sim.CallHandle;
import io.parley.sim.Faults;
import io.parley.sim.Json;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.caller.CallMedia;
import io.parley.sim.caller.CallerScript;
import io.parley.sim.http.Exchange;
import io.parley.sim.http.SimServer;
import io.parley.sim.twilio.SimCall;
import io.parley.sim.twilio.SimMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The standalone jar's control panel, on its own port under {@code /sim}: arm and clear faults
 * while Parley runs, place inbound calls with a caller script and read what the caller heard, text
 * the account's numbers. Every request carries {@code Authorization: Bearer <admin key>}. Bodies
 * are JSON (or YAML, of which JSON is a subset). See parley-sim/README.md.
 */
public final class AdminApi implements AutoCloseable {
  private final Sim sim;
  private final byte[] key;
  private final SimServer server;

  private AdminApi(Sim sim, AdminConfig config) {
    this.sim = sim;
    this.key = config.key().getBytes(StandardCharsets.UTF_8);
    this.server = sim.hosting().start("admin", config.port(), this::route);
  }

  /** Starts the admin API for a running sim, with the port and key of its config. */
  public static AdminApi start(Sim sim) {
    return new AdminApi(sim, sim.config().admin());
  }

  /** The API's base, ending in {@code /sim}. */
  public URI url() {
    return URI.create(server.baseUri() + "/sim");
  }

  @Override
  public void close() {
    server.close();
  }

  private boolean route(Exchange ex) {
    String path = ex.path();
    if (!path.equals("/sim") && !path.startsWith("/sim/")) {
      return false;
    }
    if (!authorized(ex)) {
      return true;
    }
    try {
      String method = ex.method();
      switch (path) {
        case "/sim/faults" -> {
          switch (method) {
            case "GET" -> ex.sendJson(200, faults());
            case "POST" -> ex.sendJson(201, arm(body(ex)));
            case "DELETE" -> {
              int cleared = sim.faults().armed().size();
              sim.faults().clear();
              ex.sendJson(200, Json.object().put("cleared", cleared));
            }
            default -> notAllowed(ex);
          }
        }
        case "/sim/calls" -> {
          switch (method) {
            case "GET" -> ex.sendJson(200, calls());
            case "POST" -> ex.sendJson(201, placeCall(body(ex)));
            default -> notAllowed(ex);
          }
        }
        case "/sim/connections" -> {
          if (method.equals("GET")) {
            ex.sendJson(200, connections());
          } else {
            notAllowed(ex);
          }
        }
        case "/sim/messages" -> {
          switch (method) {
            case "GET" -> ex.sendJson(200, messages());
            case "POST" -> ex.sendJson(201, sendSms(body(ex)));
            default -> notAllowed(ex);
          }
        }
        default -> {
          String prefix = "/sim/calls/";
          CallHandle call =
              path.startsWith(prefix) ? sim.call(path.substring(prefix.length())) : null;
          if (call == null || !method.equals("GET")) {
            problem(ex, 404, "no such resource: " + method + " " + path);
          } else {
            ex.sendJson(200, callJson(call));
          }
        }
      }
    } catch (IllegalArgumentException e) {
      problem(ex, 400, e.getMessage());
    }
    return true;
  }

  /** Per server: idle connections closed, requests written on closed ones, h2c offers refused. */
  private tools.jackson.databind.node.ObjectNode connections() {
    var out = Json.object();
    out.put("keepAliveTimeoutMs", sim.config().http().keepAliveTimeout().toMillis());
    out.put("refuseH2c", sim.config().http().refuseH2c());
    var servers = out.putObject("servers");
    sim.connections()
        .all()
        .forEach(
            (name, c) ->
                servers
                    .putObject(name)
                    .put("idleClosed", c.idleClosed())
                    .put("requestsOnClosedConnections", c.requestsOnClosedConnections())
                    .put("h2cRefused", c.h2cRefused()));
    return out;
  }

  private boolean authorized(Exchange ex) {
    String auth = ex.header("Authorization");
    if (auth != null && auth.startsWith("Bearer ")) {
      byte[] presented = auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
      if (MessageDigest.isEqual(presented, key)) {
        return true;
      }
    }
    ex.header("WWW-Authenticate", "Bearer realm=\"parley-sim admin\"");
    problem(ex, 401, "the admin API needs Authorization: Bearer <admin key>");
    return false;
  }

  // ---- faults -----------------------------------------------------------------------------

  private ObjectNode faults() {
    ObjectNode j = Json.object();
    ArrayNode list = j.putArray("faults");
    sim.faults().armed().forEach(v -> list.add(FaultJson.write(v)));
    return j;
  }

  private ObjectNode arm(Map<String, Object> body) {
    Faults.Target target = FaultJson.target(body.get("target"));
    Object fault = body.get("fault");
    if (!(fault instanceof Map<?, ?> f)) {
      throw new IllegalArgumentException("fault must be an object with a type");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) f;
    Object count = body.get("count");
    int times;
    if (count == null) {
      times = -1;
    } else if (count instanceof Number n && n.intValue() > 0) {
      times = n.intValue();
    } else {
      throw new IllegalArgumentException("count must be a positive number (omit it: until clear)");
    }
    Object callSid = body.get("callSid");
    var armed = FaultJson.parse(spec);
    sim.faults().arm(target, callSid == null ? null : String.valueOf(callSid), times, armed);
    return FaultJson.write(
        new Faults.View(target, callSid == null ? null : String.valueOf(callSid), armed, times));
  }

  // ---- calls ------------------------------------------------------------------------------

  private ObjectNode placeCall(Map<String, Object> body) {
    String from = required(body, "from");
    String to = required(body, "to");
    Object script = body.get("script");
    CallerScript steps;
    if (script == null) {
      steps = CallerScript.silent();
    } else if (script instanceof String yaml) {
      steps = SimConfig.script(yaml);
    } else {
      // a list of steps given inline: JSON text is YAML, so it goes through the same loader
      steps = SimConfig.script(Json.write(script));
    }
    return callJson(sim.placeCall(from, to, steps));
  }

  private ObjectNode calls() {
    ObjectNode j = Json.object();
    ArrayNode list = j.putArray("calls");
    sim.twilio().calls().stream()
        .map(c -> sim.call(c.sid()))
        .forEach(c -> list.add(callSummary(c)));
    return j;
  }

  private ObjectNode callSummary(CallHandle call) {
    SimCall c = sim.twilio().call(call.sid());
    ObjectNode j = Json.object();
    j.put("sid", call.sid())
        .put("status", call.status())
        .put("direction", c.direction())
        .put("from", c.from())
        .put("to", c.to());
    if (call.answeredBy() == null) {
      j.putNull("answeredBy");
    } else {
      j.put("answeredBy", call.answeredBy());
    }
    return j;
  }

  private ObjectNode callJson(CallHandle call) {
    ObjectNode j = callSummary(call);
    j.put("heardText", call.heardText());
    ArrayNode said = j.putArray("said");
    for (CallMedia.Said s : call.said()) {
      said.add(Json.object().put("atMillis", s.atMillis()).put("text", s.utterance().text()));
    }
    ArrayNode marks = j.putArray("marks");
    for (CallMedia.Mark m : call.marks()) {
      marks.add(
          Json.object()
              .put("name", m.name())
              .put("receivedAtMillis", m.receivedAtMillis())
              .put("echoedAtMillis", m.echoedAtMillis())
              .put("byClear", m.byClear()));
    }
    ArrayNode clears = j.putArray("clears");
    call.clears().forEach(clears::add);
    strings(j.putArray("dtmf"), call.dtmfSent());
    strings(j.putArray("dialed"), call.dialed());
    strings(j.putArray("streamSids"), call.streamSids());
    strings(j.putArray("errors"), call.errors());
    j.put("framesReceived", call.received().size());
    return j;
  }

  // ---- messages ---------------------------------------------------------------------------

  private ObjectNode sendSms(Map<String, Object> body) {
    SimMessage m =
        sim.sendSms(required(body, "from"), required(body, "to"), required(body, "body"));
    return messageJson(m);
  }

  private ObjectNode messages() {
    ObjectNode j = Json.object();
    ArrayNode list = j.putArray("messages");
    sim.twilio().messages().forEach(m -> list.add(messageJson(m)));
    return j;
  }

  private static ObjectNode messageJson(SimMessage m) {
    ObjectNode j = Json.object();
    j.put("sid", m.sid())
        .put("direction", m.direction())
        .put("from", m.from())
        .put("to", m.to())
        .put("body", m.body())
        .put("status", m.status());
    if (m.errorCode() == null) {
      j.putNull("errorCode");
    } else {
      j.put("errorCode", m.errorCode());
    }
    if (m.direction().equals("inbound")) {
      ArrayNode replies = j.putArray("replies");
      m.replies().forEach(r -> replies.add(messageJson(r)));
      j.put("webhookStatus", m.webhook() == null ? -1 : m.webhook().status());
    }
    strings(j.putArray("errors"), m.errors());
    return j;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static Map<String, Object> body(Exchange ex) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(ex.body());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the body is not JSON or YAML: " + e.getMessage(), e);
    }
    if (root instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) m;
      return map;
    }
    throw new IllegalArgumentException("the body must be a JSON object");
  }

  private static String required(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (v == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (!(v instanceof String s)) {
      // YAML reads an unquoted +15550001000 as a number and drops the plus
      throw new IllegalArgumentException(field + " must be a string (quote phone numbers)");
    }
    return s;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static void notAllowed(Exchange ex) {
    problem(ex, 405, "method not allowed: " + ex.method() + " " + ex.path());
  }

  private static void problem(Exchange ex, int status, String message) {
    ex.sendJson(status, Json.object().put("status", status).put("error", message));
  }
}
