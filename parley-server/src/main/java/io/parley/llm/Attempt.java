package io.parley.llm;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import okhttp3.Call;
import okhttp3.Interceptor;

/**
 * One HTTP attempt of a call, and the way to abort it from another thread at any moment: before the
 * response headers arrive (by cancelling OkHttp's call, which the SDK does not expose, so an
 * interceptor hands it over) and while streaming (by closing the stream as well).
 */
final class Attempt {

  /** Set on the calling thread while the SDK executes the request synchronously. */
  private static final ThreadLocal<Attempt> CURRENT = new ThreadLocal<>();

  /** Registered on every client: lets the attempt on this thread see its OkHttp call. */
  static final Interceptor REGISTER_HTTP_CALL =
      chain -> {
        Attempt attempt = CURRENT.get();
        if (attempt != null) {
          attempt.attach(chain.call());
        }
        return chain.proceed(chain.request());
      };

  /** Why an attempt was aborted, so the resulting I/O error is reported for what it was. */
  enum Abort {
    NONE,
    CANCELLED,
    DEADLINE
  }

  private Call call;
  private StreamResponse<ChatCompletionChunk> stream;
  private Abort abort = Abort.NONE;

  /** Marks this thread's requests as belonging to this attempt until {@link #leave()}. */
  void enter() {
    CURRENT.set(this);
  }

  void leave() {
    CURRENT.remove();
  }

  synchronized void attach(Call httpCall) {
    this.call = httpCall;
    if (abort != Abort.NONE) {
      httpCall.cancel();
    }
  }

  synchronized void attach(StreamResponse<ChatCompletionChunk> response) {
    this.stream = response;
    if (abort != Abort.NONE) {
      closeQuietly(response);
    }
  }

  /** Aborts once; the first reason wins. */
  void abort(Abort reason) {
    Call httpCall;
    StreamResponse<ChatCompletionChunk> response;
    synchronized (this) {
      if (abort != Abort.NONE) {
        return;
      }
      abort = reason;
      httpCall = call;
      response = stream;
    }
    if (httpCall != null) {
      httpCall.cancel();
    }
    if (response != null) {
      closeQuietly(response);
    }
  }

  synchronized Abort aborted() {
    return abort;
  }

  private static void closeQuietly(StreamResponse<ChatCompletionChunk> response) {
    try {
      response.close();
    } catch (RuntimeException ignored) {
      // The reading thread sees the stream end either way.
    }
  }
}
