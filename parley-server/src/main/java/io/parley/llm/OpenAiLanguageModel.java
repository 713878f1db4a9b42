package io.parley.llm;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.LogLevel;
import com.openai.core.ObjectMappers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.providers.ApiKey;
import io.parley.providers.OutboundHttp;
import io.parley.providers.ProviderEndpoint;
import io.parley.providers.ProviderKind;
import io.parley.providers.ProviderRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The OpenAI-compatible adapter: one openai-java client per provider id, built on first use from
 * the provider registry (base URL and key) with the SDK's own retries off, because Parley retries
 * once within the turn's budget itself ({@link OpenAiCall}). The SDK sends through an OkHttp client
 * of Parley's ({@link ProviderConnections}), which keeps connections fresh and ready.
 */
@Component
final class OpenAiLanguageModel implements LanguageModel, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(OpenAiLanguageModel.class);

  private static final int WARM_UP_REQUESTS = 300;
  private static final int WARM_UP_CHUNKS = 3000;
  private static final int WARM_UP_STREAMS = 60;

  private static final ChunkReader.Sink IGNORED_CHUNKS =
      new ChunkReader.Sink() {
        @Override
        public void usage(long promptTokens, long completionTokens) {}

        @Override
        public void text(String text) {}

        @Override
        public void toolCall(int index, String id, String name, String arguments) {}

        @Override
        public void finish(String reason) {}
      };

  private static final String SAMPLE_CHUNK =
      """
      {"id":"w","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,
      "delta":{"role":"assistant","content":"x","tool_calls":[{"index":0,"id":"c","type":"function",
      "function":{"name":"f","arguments":"{}"}}]},"finish_reason":"stop"}],
      "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}
      """;

  private final ProviderRegistry providers;
  private final LlmProperties properties;
  private final LlmMetrics metrics;
  private final OutboundHttp outbound;
  private final Map<String, Provider> clients = new ConcurrentHashMap<>();
  // One daemon thread enforces every call's deadline for the first token; its tasks only cancel.
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("llm-deadlines").daemon().factory());

  OpenAiLanguageModel(
      ProviderRegistry providers,
      LlmProperties properties,
      OutboundHttp outbound,
      MeterRegistry meterRegistry) {
    this.providers = providers;
    this.properties = properties;
    this.outbound = outbound;
    this.metrics = new LlmMetrics(meterRegistry);
  }

  @Override
  public LlmCall stream(LlmRequest request, LlmListener listener) {
    if (request == null || listener == null) {
      throw new IllegalArgumentException("A call needs a request and a listener");
    }
    return new OpenAiCall(this, request, listener);
  }

  @Override
  public void prepare(String providerId) {
    provider(providerId).ifPresent(p -> p.connections().warmUp());
  }

  /** A configured provider's client, or empty when the id is unknown or has no key. */
  Optional<Provider> provider(String id) {
    Optional<ProviderEndpoint> endpoint = providers.llm(id);
    return endpoint.map(e -> clients.computeIfAbsent(id, any -> connect(e)));
  }

  LlmProperties properties() {
    return properties;
  }

  LlmMetrics metrics() {
    return metrics;
  }

  ScheduledExecutorService deadlines() {
    return deadlines;
  }

  private Provider connect(ProviderEndpoint endpoint) {
    ProviderConnections connections = new ProviderConnections(endpoint, properties, outbound);
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(endpoint.baseUrl().toString())
            .apiKey(endpoint.apiKey().reveal())
            .maxRetries(0)
            // The SDK otherwise takes its log level from OPENAI_LOG and would log prompts.
            .logLevel(LogLevel.OFF)
            // timeouts come from the OkHttp client (connect, write, read idle, whole call)
            .okHttpClient(connections.http())
            .addInterceptor(Attempt.REGISTER_HTTP_CALL)
            .build();
    return new Provider(endpoint.id(), client, connections, endpoint.apiKey().reveal());
  }

  /**
   * Touches the SDK's JSON mapping and the chunk reader, then streams whole completions from a host
   * on the loopback interface, before the first call: the first request otherwise pays for loading
   * and introspecting the SDK's large model classes (about two seconds on a small machine), which a
   * caller would hear as silence, and the first calls after start-up run both in the interpreter.
   * Repeated so the JIT compiles them now rather than during the first calls. Off the start-up
   * path, on a virtual thread: before readiness it delayed the health probe by about 1.8 s on 2
   * cores without changing the first minute's latency (issue 13, run D).
   */
  @EventListener(ApplicationReadyEvent.class)
  void warmUpInBackground() {
    Thread.ofVirtual()
        .name("llm-warm-up")
        .start(
            () -> {
              long started = System.nanoTime();
              int streamed = warmUp();
              log.info(
                  "LLM client warmed up in {} ms ({} completions streamed on loopback)",
                  (System.nanoTime() - started) / 1_000_000,
                  streamed);
            });
  }

  /** Warms the client up; returns how many loopback completions ended as completed. */
  int warmUp() {
    try {
      LlmRequest sample =
          new LlmRequest(
              "warm-up",
              "warm-up",
              0.5,
              "warm-up",
              List.of(
                  new LlmMessage.System("s"),
                  new LlmMessage.User("u"),
                  new LlmMessage.Assistant("a", List.of(new LlmEvent.ToolCall("c", "f", "{}"))),
                  new LlmMessage.ToolResult("c", "r")),
              List.of(new LlmTool("f", "d", "{\"type\":\"object\"}")),
              Duration.ofSeconds(1));
      JsonMapper mapper = ObjectMappers.jsonMapper();
      for (int i = 0; i < WARM_UP_REQUESTS; i++) {
        mapper.writeValueAsString(ChatParams.of(sample)._body());
      }
      byte[] chunk = ("data: " + SAMPLE_CHUNK.replace("\n", "") + "\n\n").getBytes(UTF_8);
      for (int i = 0; i < WARM_UP_CHUNKS; i++) {
        ChunkReader.read(new ByteArrayInputStream(chunk), IGNORED_CHUNKS);
      }
      return streamFromLoopback(sample);
    } catch (IOException | RuntimeException e) {
      log.debug("LLM client warm-up failed; the first call will be slower", e);
      return 0;
    }
  }

  /**
   * Streams whole completions from a host on the loopback interface through the path every call
   * takes (the SDK's request, OkHttp, {@link OpenAiCall}, the chunk reader): serialising alone left
   * the first real requests about 50 ms slower than the rest. Counted in no provider's metrics.
   */
  private int streamFromLoopback(LlmRequest sample) throws IOException {
    try (LoopbackChatHost host = LoopbackChatHost.start();
        Provider loopback =
            connect(
                new ProviderEndpoint(
                    sample.providerId(), ProviderKind.LLM, host.baseUrl(), ApiKey.of("warm-up")))) {
      LlmMetrics uncounted = new LlmMetrics(new SimpleMeterRegistry());
      AtomicInteger completed = new AtomicInteger();
      LlmListener counting =
          event -> {
            if (event instanceof LlmEvent.Completed) {
              completed.incrementAndGet();
            }
          };
      for (int i = 0; i < WARM_UP_STREAMS; i++) {
        new OpenAiCall(this, id -> Optional.of(loopback), uncounted, sample, counting).run();
      }
      return completed.get();
    }
  }

  @Override
  public void destroy() {
    deadlines.shutdownNow();
    clients.values().forEach(Provider::close);
    clients.clear();
  }

  /**
   * A provider's client, its connections and, so failure messages can be scrubbed, its key (never
   * logged: records print it, so {@link #toString} is overridden).
   */
  record Provider(String id, OpenAIClient client, ProviderConnections connections, String secret)
      implements AutoCloseable {
    @Override
    public void close() {
      client.close();
      connections.close();
    }

    @Override
    public String toString() {
      return "Provider[" + id + "]";
    }
  }
}
