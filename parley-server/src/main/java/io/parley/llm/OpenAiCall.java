package io.parley.llm;

import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed completion on the caller's thread: at most two attempts (one retry on rate limits,
 * server errors and timeouts, only before any event reached the listener and only if the turn's
 * budget allows), then exactly one terminal event. A request lost on a pooled connection the host
 * had closed is not an attempt: it is sent again at once on a new connection, without a pause, a
 * retry count or any of the budget's retry window.
 */
final class OpenAiCall implements LlmCall {

  private static final Logger log = LoggerFactory.getLogger(OpenAiCall.class);

  /**
   * How many times one attempt is sent again because its reused connection was closed; a second
   * loss in a row (a new connection each time) means something else is wrong.
   */
  static final int MAX_RESENDS = 2;

  private final OpenAiLanguageModel model;
  private final Function<String, Optional<OpenAiLanguageModel.Provider>> providers;
  private final LlmMetrics metrics;
  private final LlmRequest request;
  private final LlmListener listener;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private volatile Attempt current;

  private long startNanos;
  // Written by the running thread; read by the deadline task, which must not fire once tokens flow.
  private volatile boolean delivered;

  OpenAiCall(OpenAiLanguageModel model, LlmRequest request, LlmListener listener) {
    this(model, model::provider, model.metrics(), request, listener);
  }

  /**
   * A call whose provider and metrics are not the model's own: the start-up warm-up sends through a
   * host of its own ({@link LoopbackChatHost}) and must not count in the provider's metrics.
   */
  OpenAiCall(
      OpenAiLanguageModel model,
      Function<String, Optional<OpenAiLanguageModel.Provider>> providers,
      LlmMetrics metrics,
      LlmRequest request,
      LlmListener listener) {
    this.model = model;
    this.providers = providers;
    this.metrics = metrics;
    this.request = request;
    this.listener = listener;
  }

  @Override
  public void cancel() {
    cancelled.countDown();
    Attempt attempt = current;
    if (attempt != null) {
      attempt.abort(Attempt.Abort.CANCELLED);
    }
  }

  private boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  @Override
  public void run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("An LLM call runs once");
    }
    String providerId = request.providerId();
    metrics.request(providerId);
    startNanos = System.nanoTime();
    long deadline = startNanos + request.budget().toNanos();
    LlmEvent terminal = attempts(deadline);
    if (isCancelled()) {
      // A cancel that raced the end of the stream still wins: the caller has moved on.
      terminal = cancelledEvent();
    }
    if (terminal instanceof LlmEvent.Failed failed) {
      metrics.failure(providerId, failed.kind());
      if (failed.kind() != LlmEvent.FailureKind.CANCELLED) {
        log.warn("LLM call {} failed: {} {}", request.user(), failed.kind(), failed.message());
      }
    }
    listener.on(terminal);
  }

  private LlmEvent attempts(long deadline) {
    if (isCancelled()) {
      return cancelledEvent();
    }
    Optional<OpenAiLanguageModel.Provider> provider = providers.apply(request.providerId());
    if (provider.isEmpty()) {
      return new LlmEvent.Failed(
          LlmEvent.FailureKind.AUTH,
          false,
          "LLM provider '" + request.providerId() + "' is not configured (no API key)");
    }
    ChatCompletionCreateParams params;
    try {
      params = ChatParams.of(request);
    } catch (IllegalArgumentException e) {
      return new LlmEvent.Failed(LlmEvent.FailureKind.BAD_REQUEST, false, e.getMessage());
    }
    Outcome first = attempt(provider.get(), params, deadline);
    if (!(first instanceof Outcome.Retry retry)) {
      return ((Outcome.Done) first).event();
    }
    Optional<Duration> pause = pauseBeforeRetry(retry.failure(), deadline);
    if (pause.isEmpty()) {
      return retry.failure().event();
    }
    metrics.retry(request.providerId());
    log.info(
        "LLM call {}: {} from provider '{}', retrying in {} ms",
        request.user(),
        retry.failure().kind(),
        request.providerId(),
        pause.get().toMillis());
    try {
      if (cancelled.await(pause.get().toNanos(), TimeUnit.NANOSECONDS)) {
        return cancelledEvent();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return cancelledEvent();
    }
    Outcome second = attempt(provider.get(), params, deadline);
    return switch (second) {
      case Outcome.Done done -> done.event();
      case Outcome.Retry again -> again.failure().event();
      case Outcome.Lost lost -> lost.failure().event();
    };
  }

  /** The pause before the one retry, or empty when the provider or the budget rules it out. */
  private Optional<Duration> pauseBeforeRetry(ProviderFailure failure, long deadline) {
    LlmProperties properties = model.properties();
    Duration pause = failure.retryAfter().orElse(properties.retryBackoff());
    if (pause.compareTo(properties.maxRetryAfter()) > 0) {
      return Optional.empty();
    }
    Duration left = Duration.ofNanos(deadline - System.nanoTime()).minus(pause);
    return left.compareTo(properties.minRetryWindow()) >= 0 ? Optional.of(pause) : Optional.empty();
  }

  /**
   * What one attempt came to: a terminal event, a failure a retry might fix, or a request lost on a
   * connection the host had closed (to be sent again at once).
   */
  private sealed interface Outcome {
    record Done(LlmEvent event) implements Outcome {}

    record Retry(ProviderFailure failure) implements Outcome {}

    record Lost(ProviderFailure failure) implements Outcome {}
  }

  /** One attempt, sent again at once while it is lost on connections the host had closed. */
  private Outcome attempt(
      OpenAiLanguageModel.Provider provider, ChatCompletionCreateParams params, long deadline) {
    Outcome outcome = send(provider, params, deadline);
    for (int resends = 0;
        outcome instanceof Outcome.Lost lost && resends < MAX_RESENDS;
        resends++) {
      provider.connections().evictIdle();
      provider.connections().countStaleResend();
      log.debug(
          "LLM call {}: the request was lost on a closed connection ({}); sending it again",
          request.user(),
          lost.failure().message());
      outcome = send(provider, params, deadline);
    }
    return outcome instanceof Outcome.Lost lost ? new Outcome.Retry(lost.failure()) : outcome;
  }

  private Outcome send(
      OpenAiLanguageModel.Provider provider, ChatCompletionCreateParams params, long deadline) {
    Attempt attempt = new Attempt();
    current = attempt;
    if (isCancelled()) {
      return new Outcome.Done(cancelledEvent());
    }
    long wait = deadline - System.nanoTime();
    if (wait <= 0) {
      return new Outcome.Done(deadlineFailure().event());
    }
    // Until the first event, the turn's budget bounds the wait; afterwards only the idle timeout.
    ScheduledFuture<?> watchdog =
        model
            .deadlines()
            .schedule(
                () -> {
                  if (!delivered) {
                    attempt.abort(Attempt.Abort.DEADLINE);
                  }
                },
                wait,
                TimeUnit.NANOSECONDS);
    Stream stream = new Stream(watchdog);
    attempt.enter();
    // The raw response: the SDK sends the request and turns an HTTP error into its exception;
    // the chunks are read by ChunkReader, not bound to the SDK's classes (see there why).
    try (HttpResponse response =
        provider.client().chat().completions().withRawResponse().createStreaming(params)) {
      attempt.leave();
      attempt.attach(response);
      ChunkReader.read(response.body(), stream);
      if (isCancelled()) {
        return new Outcome.Done(cancelledEvent());
      }
      // Closing the stream from another thread can look like a clean end of stream here.
      if (isCancelled() || attempt.aborted() == Attempt.Abort.CANCELLED) {
        return new Outcome.Done(cancelledEvent());
      }
      if (attempt.aborted() == Attempt.Abort.DEADLINE) {
        return new Outcome.Done(deadlineFailure().event());
      }
      return new Outcome.Done(stream.end());
    } catch (ListenerFailure e) {
      throw e.original();
    } catch (RuntimeException e) {
      return failed(attempt, e, provider);
    } finally {
      attempt.leave();
      watchdog.cancel(false);
    }
  }

  private Outcome failed(
      Attempt attempt, RuntimeException error, OpenAiLanguageModel.Provider provider) {
    if (isCancelled() || attempt.aborted() == Attempt.Abort.CANCELLED) {
      return new Outcome.Done(cancelledEvent());
    }
    ProviderFailure failure =
        attempt.aborted() == Attempt.Abort.DEADLINE
            ? deadlineFailure()
            : ProviderFailure.classify(error, provider.id(), provider.secret());
    if (delivered) {
      // The caller already has part of the answer: a retry would repeat it.
      return new Outcome.Done(failure.event());
    }
    if (attempt.aborted() == Attempt.Abort.NONE
        && error instanceof OpenAIIoException
        && attempt.lostOnReusedConnection()) {
      return new Outcome.Lost(failure);
    }
    return failure.retriable() ? new Outcome.Retry(failure) : new Outcome.Done(failure.event());
  }

  private ProviderFailure deadlineFailure() {
    return ProviderFailure.of(
        LlmEvent.FailureKind.TIMEOUT,
        true,
        "LLM provider '"
            + request.providerId()
            + "' did not start answering within the turn budget of "
            + request.budget().toMillis()
            + " ms");
  }

  private static LlmEvent.Failed cancelledEvent() {
    return new LlmEvent.Failed(LlmEvent.FailureKind.CANCELLED, false, "cancelled");
  }

  private void deliver(LlmEvent event, ScheduledFuture<?> watchdog) {
    if (isCancelled()) {
      return;
    }
    if (!delivered) {
      delivered = true;
      watchdog.cancel(false);
      metrics.firstToken(request.providerId(), Duration.ofNanos(System.nanoTime() - startNanos));
    }
    try {
      listener.on(event);
    } catch (RuntimeException e) {
      throw new ListenerFailure(e);
    }
  }

  /** Carries the listener's own exception past the provider error handling, unchanged. */
  private static final class ListenerFailure extends RuntimeException {
    ListenerFailure(RuntimeException original) {
      super(original);
    }

    RuntimeException original() {
      return (RuntimeException) getCause();
    }
  }

  /** Maps the wire's finish reason; values a provider invents (xAI has its own) become OTHER. */
  static LlmEvent.FinishReason finishReason(String reason) {
    return switch (reason) {
      case "stop" -> LlmEvent.FinishReason.STOP;
      case "length" -> LlmEvent.FinishReason.LENGTH;
      case "tool_calls", "function_call" -> LlmEvent.FinishReason.TOOL_CALLS;
      case "content_filter" -> LlmEvent.FinishReason.CONTENT_FILTER;
      default -> LlmEvent.FinishReason.OTHER;
    };
  }

  /** Turns chunks into events for one attempt. */
  private final class Stream implements ChunkReader.Sink {
    private final ScheduledFuture<?> watchdog;
    private final ToolCallAssembler toolCalls = new ToolCallAssembler();
    private LlmEvent.FinishReason finishReason;
    private LlmEvent.Usage usage = LlmEvent.Usage.NONE;

    Stream(ScheduledFuture<?> watchdog) {
      this.watchdog = watchdog;
    }

    @Override
    public void usage(long promptTokens, long completionTokens) {
      usage = new LlmEvent.Usage(promptTokens, completionTokens);
    }

    @Override
    public void text(String text) {
      deliver(new LlmEvent.TextDelta(text), watchdog);
    }

    @Override
    public void toolCall(int index, String id, String name, String arguments) {
      toolCalls.add(index, id, name, arguments).forEach(call -> deliver(call, watchdog));
    }

    @Override
    public void finish(String reason) {
      finishReason = finishReason(reason);
      toolCalls.finish().forEach(call -> deliver(call, watchdog));
    }

    /** The stream ended cleanly: complete, or cut short before the model said it was done. */
    LlmEvent end() {
      toolCalls.finish().forEach(call -> deliver(call, watchdog));
      if (finishReason == null) {
        return new LlmEvent.Failed(
            LlmEvent.FailureKind.SERVER,
            true,
            "LLM provider '" + request.providerId() + "' ended the stream without finishing");
      }
      return new LlmEvent.Completed(finishReason, usage);
    }
  }
}
