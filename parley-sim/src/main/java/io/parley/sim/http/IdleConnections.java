package io.parley.sim.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.EndPoint;

/**
 * Closes keep-alive connections that stayed idle past the limit, as Node's HTTP server does after
 * its {@code keepAliveTimeout}, and recognises a request that arrives on one afterwards.
 *
 * <p>A real server closes the socket, and a request the client then writes on it is lost in the
 * kernel (a reset), invisible to the server. To count those requests the simulator only
 * half-closes: it sends FIN (the client sees the close exactly as from Node) but keeps reading, so
 * a request still written on the connection reaches {@link #begin}, which refuses it; the caller
 * then drops the connection without an answer, as the client would experience it.
 */
final class IdleConnections {

  private static final class Activity {
    int active;
    long idleSinceNanos;
    boolean closed;
  }

  private final long limitNanos;
  private final Map<EndPoint, Activity> byEndPoint = new ConcurrentHashMap<>();

  IdleConnections(java.time.Duration limit) {
    this.limitNanos = limit.toNanos();
  }

  boolean enabled() {
    return limitNanos > 0;
  }

  /** A request starts on this connection; false when the server had already closed it. */
  boolean begin(EndPoint endPoint) {
    Activity activity = byEndPoint.computeIfAbsent(endPoint, e -> new Activity());
    synchronized (activity) {
      if (activity.closed) {
        return false;
      }
      activity.active++;
      return true;
    }
  }

  /** The request's response is complete: the connection is idle from now, if nothing else runs. */
  void end(EndPoint endPoint, long nowNanos) {
    Activity activity = byEndPoint.get(endPoint);
    if (activity == null) {
      return;
    }
    synchronized (activity) {
      activity.active--;
      activity.idleSinceNanos = nowNanos;
    }
  }

  /** Forgets a connection the server closed for good. */
  void forget(EndPoint endPoint) {
    byEndPoint.remove(endPoint);
  }

  /**
   * Half-closes every connection idle for at least the limit and forgets those already gone.
   *
   * @return how many connections were closed now
   */
  int sweep(long nowNanos) {
    int closedNow = 0;
    for (Map.Entry<EndPoint, Activity> entry : byEndPoint.entrySet()) {
      EndPoint endPoint = entry.getKey();
      if (!endPoint.isOpen()) {
        byEndPoint.remove(endPoint);
        continue;
      }
      Activity activity = entry.getValue();
      synchronized (activity) {
        if (!activity.closed
            && activity.active == 0
            && nowNanos - activity.idleSinceNanos >= limitNanos) {
          activity.closed = true;
          endPoint.shutdownOutput();
          closedNow++;
        }
      }
    }
    return closedNow;
  }
}
