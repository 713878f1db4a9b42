package io.parley.llm;

import com.openai.core.http.HttpResponse;
import java.net.InetSocketAddress;
import java.net.Proxy;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.Interceptor;

/**
 * One HTTP attempt of a call, and the way to abort it from another thread at any moment: before the
 * response headers arrive (by cancelling OkHttp's call, which the SDK does not expose, so an
 * interceptor hands it over) and while streaming (by closing the stream as well). It also learns
 * from OkHttp's events whether its connection came from the pool and whether an answer began, which
 * tells a request lost on a connection the server had closed from a provider failure.
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

  /**
   * Gives each HTTP call started by an attempt (on its thread) a listener that records what
   * happened to its connection; other calls (the warm-up) get none.
   */
  static final EventListener.Factory CONNECTION_EVENTS =
      call -> {
        Attempt attempt = CURRENT.get();
        return attempt == null ? EventListener.NONE : attempt.new ConnectionEvents();
      };

  /** Why an attempt was aborted, so the resulting I/O error is reported for what it was. */
  enum Abort {
    NONE,
    CANCELLED,
    DEADLINE
  }

  private Call call;
  private HttpResponse stream;
  private Abort abort = Abort.NONE;
  private volatile boolean connecting;
  private volatile boolean connectionAcquired;
  private volatile boolean answerStarted;

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

  synchronized void attach(HttpResponse response) {
    this.stream = response;
    if (abort != Abort.NONE) {
      closeQuietly(response);
    }
  }

  /** Aborts once; the first reason wins. */
  void abort(Abort reason) {
    Call httpCall;
    HttpResponse response;
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

  /**
   * Whether the request went out on a connection reused from the pool and failed before any byte of
   * an answer came back: the server had closed that connection while it sat idle, so the request
   * never reached the provider.
   */
  boolean lostOnReusedConnection() {
    return connectionAcquired && !connecting && !answerStarted;
  }

  /** OkHttp's view of this attempt's call. */
  private final class ConnectionEvents extends EventListener {
    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
      connecting = true;
    }

    @Override
    public void connectionAcquired(Call call, Connection connection) {
      connectionAcquired = true;
    }

    @Override
    public void responseHeadersStart(Call call) {
      // called once the status line and headers have been read
      answerStarted = true;
    }
  }

  private static void closeQuietly(HttpResponse response) {
    try {
      response.close();
    } catch (RuntimeException ignored) {
      // The reading thread sees the stream end either way.
    }
  }
}
