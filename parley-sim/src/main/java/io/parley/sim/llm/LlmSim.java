package io.parley.sim.llm;

import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.http.Exchange;
import io.parley.sim.http.SimServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI-compatible chat completions server (the dialect xAI Grok speaks): {@code POST
 * /v1/chat/completions} streamed as SSE or not, {@code GET /v1/models}, Bearer auth. Replies come
 * from rules on the last message, paced by time-to-first-token and tokens per second.
 */
public final class LlmSim implements AutoCloseable {
  private static final Pattern TOKEN = Pattern.compile("(?<=\\s)");
  private static final int ARGUMENT_FRAGMENT = 8;

  private final LlmConfig config;
  private final Faults faults;
  private final SimClock clock;
  private final SimServer server;
  private final List<LlmRequest> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile List<LlmConfig.Rule> rules;
  private final io.parley.sim.Timeline timeline;

  public LlmSim(LlmConfig config, Faults faults, SimClock clock, String host) {
    this(
        config,
        faults,
        clock,
        io.parley.sim.http.Hosting.on(host),
        new io.parley.sim.Timeline(clock));
  }

  public LlmSim(
      LlmConfig config,
      Faults faults,
      SimClock clock,
      io.parley.sim.http.Hosting hosting,
      io.parley.sim.Timeline timeline) {
    this.timeline = timeline;
    this.config = config;
    this.faults = faults;
    this.clock = clock;
    this.rules = config.rules();
    this.server = hosting.start("llm", config.port(), this::route);
  }

  /** The base URL a client appends {@code /chat/completions} to, ending in {@code /v1}. */
  public URI baseUrl() {
    return URI.create(server.baseUri() + "/v1");
  }

  public String apiKey() {
    return config.apiKey();
  }

  /** Replaces the reply rules at runtime. */
  public void rules(List<LlmConfig.Rule> newRules) {
    rules = List.copyOf(newRules);
  }

  public List<LlmRequest> requests() {
    return List.copyOf(requests);
  }

  /** Requests whose {@code user} field named this call. */
  public List<LlmRequest> requestsFor(String callId) {
    return requests.stream().filter(r -> callId.equals(r.user())).toList();
  }

  @Override
  public void close() {
    closed.countDown();
    server.close();
  }

  private boolean route(Exchange ex) throws InterruptedException {
    String path = ex.path();
    if (path.equals("/v1/models") && ex.method().equals("GET")) {
      if (authorized(ex)) {
        models(ex);
      }
      return true;
    }
    if (path.equals("/v1/chat/completions") && ex.method().equals("POST")) {
      if (authorized(ex)) {
        completions(ex);
      }
      return true;
    }
    return false;
  }

  private boolean authorized(Exchange ex) {
    String auth = ex.header("Authorization");
    if (auth != null && auth.equals("Bearer " + config.apiKey())) {
      return true;
    }
    String message =
        auth == null
            ? "No API key provided. Pass it as a Bearer token in the Authorization header."
            : "Incorrect API key provided.";
    error(ex, 401, "invalid_api_key", message, null);
    return false;
  }

  private void models(Exchange ex) {
    ArrayNode data = Json.array();
    for (String id : config.models()) {
      data.addObject()
          .put("id", id)
          .put("object", "model")
          .put("created", 1_700_000_000L)
          .put("owned_by", "parley-sim");
    }
    ObjectNode body = Json.object().put("object", "list");
    body.set("data", data);
    ex.sendJson(200, body);
  }

  private void completions(Exchange ex) throws InterruptedException {
    JsonNode body = Json.parse(ex.body());
    String user = body.path("user").isString() ? body.path("user").asString() : null;
    boolean stream = body.path("stream").asBoolean(false);
    String model = body.path("model").asString(config.models().getFirst());
    requests.add(new LlmRequest(user, model, stream, body, clock.nowMillis()));
    long requestNumber = timeline.nextId();
    timeline.add(io.parley.sim.Timeline.Kind.LLM_REQUEST, user, requestNumber, null);

    if (faults.delayOrHang(Faults.Target.LLM, user, clock, closed)) {
      ex.abort();
      return;
    }
    var failure = faults.take(Faults.Target.LLM, user, Fault.ErrorStatus.class);
    if (failure.isPresent()) {
      injectError(ex, failure.get());
      return;
    }
    if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
      error(ex, 400, "invalid_request_error", "messages must be a non-empty array", "messages");
      return;
    }
    Reply reply = reply(body.path("messages"));
    Integer dropAfter =
        faults
            .take(Faults.Target.LLM, user, Fault.DropMidStream.class)
            .map(Fault.DropMidStream::afterChunks)
            .orElse(null);
    if (stream) {
      boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
      new SseWriter(ex, model, dropAfter, user, requestNumber)
          .stream(reply, usage, promptTokens(body));
    } else {
      whole(ex, model, reply, promptTokens(body));
    }
  }

  /** What the simulator answers: text and/or tool calls, and how tool calls are streamed. */
  record Reply(
      List<String> tokens, List<LlmConfig.ToolCall> toolCalls, LlmConfig.ToolCallStyle style) {
    String text() {
      return String.join("", tokens);
    }

    int completionTokens() {
      int n = tokens.size();
      for (LlmConfig.ToolCall call : toolCalls) {
        n += 1 + call.arguments().length() / 4;
      }
      return n;
    }
  }

  Reply reply(JsonNode messages) {
    JsonNode last = messages.get(messages.size() - 1);
    String role = last.path("role").asString("");
    LlmConfig.On kind = role.equals("tool") ? LlmConfig.On.TOOL : LlmConfig.On.USER;
    String content = contentText(last.path("content"));
    for (LlmConfig.Rule rule : rules) {
      if (rule.matches(kind, content)) {
        return new Reply(
            tokens(rule.reply()),
            rule.toolCalls(),
            rule.styleOverride().orElse(config.defaultStyle()));
      }
    }
    return new Reply(tokens(config.defaultReply()), List.of(), config.defaultStyle());
  }

  /** Content is a string or an array of parts ({@code {"type":"text","text":...}}). */
  private static String contentText(JsonNode content) {
    if (content.isString()) {
      return content.asString();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode part : content) {
      out.append(part.path("text").asString(""));
    }
    return out.toString();
  }

  private static List<String> tokens(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    return List.of(TOKEN.split(text));
  }

  private static int promptTokens(JsonNode body) {
    int words = 0;
    for (JsonNode message : body.path("messages")) {
      String text = contentText(message.path("content"));
      words += text.isBlank() ? 1 : text.trim().split("\\s+").length + 1;
    }
    return words;
  }

  private void pace(long startMillis, int tokenIndex) throws InterruptedException {
    long deadline = startMillis + config.timeToFirstToken().toMillis();
    if (config.tokensPerSecond() > 0 && tokenIndex > 0) {
      deadline += Math.round(tokenIndex * 1000.0 / config.tokensPerSecond());
    }
    clock.sleepUntil(deadline);
  }

  private void whole(Exchange ex, String model, Reply reply, int promptTokens)
      throws InterruptedException {
    long start = clock.nowMillis();
    pace(start, Math.max(0, reply.completionTokens() - 1));
    ObjectNode message = Json.object().put("role", "assistant");
    if (reply.tokens().isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", reply.text());
    }
    if (!reply.toolCalls().isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      for (LlmConfig.ToolCall call : reply.toolCalls()) {
        ObjectNode c = calls.addObject().put("id", callId()).put("type", "function");
        c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
      }
    }
    ObjectNode body = envelope("chat.completion", model);
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", reply.toolCalls().isEmpty() ? "stop" : "tool_calls");
    body.set("usage", usage(promptTokens, reply.completionTokens()));
    ex.sendJson(200, body);
  }

  private final class SseWriter {
    private final Exchange ex;
    private final String model;
    private final Integer dropAfter;
    private final String id = "chatcmpl-" + UUID.randomUUID();
    private int sent;

    private final String user;
    private final long requestNumber;

    SseWriter(Exchange ex, String model, Integer dropAfter, String user, long requestNumber) {
      this.user = user;
      this.requestNumber = requestNumber;
      this.ex = ex;
      this.model = model;
      this.dropAfter = dropAfter;
    }

    void stream(Reply reply, boolean includeUsage, int promptTokens) throws InterruptedException {
      long start = clock.nowMillis();
      ex.startStream(200, "text/event-stream");
      ex.header("Cache-Control", "no-cache");
      int index = 0;
      clock.sleepUntil(start + config.timeToFirstToken().toMillis());
      if (!send(Json.object().put("role", "assistant").put("content", ""), null)) {
        return;
      }
      for (String token : reply.tokens()) {
        pace(start, index++);
        if (!send(Json.object().put("content", token), null)) {
          return;
        }
        timeline.add(io.parley.sim.Timeline.Kind.LLM_TOKEN, user, requestNumber, token);
      }
      List<ObjectNode> toolDeltas = toolCallDeltas(reply);
      for (ObjectNode d : toolDeltas) {
        pace(start, index++);
        if (!send(d, null)) {
          return;
        }
      }
      if (!send(Json.object(), reply.toolCalls().isEmpty() ? "stop" : "tool_calls")) {
        return;
      }
      if (includeUsage) {
        ObjectNode chunk = envelope("chat.completion.chunk", model).put("id", id);
        chunk.putArray("choices");
        chunk.set("usage", usage(promptTokens, reply.completionTokens()));
        if (!event(Json.write(chunk))) {
          return;
        }
      }
      event("[DONE]");
    }

    private List<ObjectNode> toolCallDeltas(Reply reply) {
      List<ObjectNode> out = new ArrayList<>();
      int i = 0;
      for (LlmConfig.ToolCall call : reply.toolCalls()) {
        String callId = callId();
        if (reply.style() == LlmConfig.ToolCallStyle.WHOLE) {
          out.add(toolDelta(i, callId, call.name(), call.arguments()));
        } else {
          out.add(toolDelta(i, callId, call.name(), ""));
          String args = call.arguments();
          for (int at = 0; at < args.length(); at += ARGUMENT_FRAGMENT) {
            String piece = args.substring(at, Math.min(args.length(), at + ARGUMENT_FRAGMENT));
            out.add(toolDelta(i, null, null, piece));
          }
        }
        i++;
      }
      return out;
    }

    private ObjectNode toolDelta(int index, String callId, String name, String arguments) {
      ObjectNode call = Json.object().put("index", index);
      if (callId != null) {
        call.put("id", callId).put("type", "function");
      }
      ObjectNode function = call.putObject("function");
      if (name != null) {
        function.put("name", name);
      }
      function.put("arguments", arguments);
      ObjectNode delta = Json.object();
      delta.putArray("tool_calls").add(call);
      return delta;
    }

    private boolean send(ObjectNode delta, String finishReason) {
      ObjectNode chunk = envelope("chat.completion.chunk", model).put("id", id);
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      if (finishReason == null) {
        choice.putNull("finish_reason");
      } else {
        choice.put("finish_reason", finishReason);
      }
      return event(Json.write(chunk));
    }

    /** Writes one SSE event; false once a drop fault has cut the stream. */
    private boolean event(String data) {
      if (dropAfter != null && sent >= dropAfter) {
        ex.abort();
        return false;
      }
      ex.write("data: " + data + "\n\n");
      sent++;
      return true;
    }
  }

  private ObjectNode envelope(String object, String model) {
    return Json.object()
        .put("id", "chatcmpl-" + UUID.randomUUID())
        .put("object", object)
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", model)
        .put("system_fingerprint", "fp_parley_sim");
  }

  private static ObjectNode usage(int prompt, int completion) {
    ObjectNode usage =
        Json.object()
            .put("prompt_tokens", prompt)
            .put("completion_tokens", completion)
            .put("total_tokens", prompt + completion);
    usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
    usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
    return usage;
  }

  private static String callId() {
    return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }

  private void injectError(Exchange ex, Fault.ErrorStatus failure) {
    int status = failure.status();
    if (status == 429) {
      ex.header("Retry-After", Long.toString(Math.max(0, failure.retryAfter().toSeconds())));
      error(ex, 429, "rate_limit_exceeded", "Rate limit reached, please retry later.", null);
    } else if (status == 401) {
      error(ex, 401, "invalid_api_key", "Incorrect API key provided.", null);
    } else if (status >= 500) {
      error(ex, status, "server_error", "The server had an error processing your request.", null);
    } else {
      error(ex, status, "invalid_request_error", "Simulated error " + status + ".", null);
    }
  }

  /** An error body in the configured provider's shape. */
  private void error(Exchange ex, int status, String code, String message, String param) {
    if (config.flavor() == LlmConfig.Flavor.XAI) {
      ex.sendJson(status, Json.object().put("code", code).put("error", message));
    } else {
      ObjectNode body = Json.object();
      ObjectNode error = body.putObject("error").put("message", message).put("code", code);
      error.put("type", status == 429 ? "requests" : code);
      if (param == null) {
        error.putNull("param");
      } else {
        error.put("param", param);
      }
      ex.sendJson(status, body);
    }
  }
}
