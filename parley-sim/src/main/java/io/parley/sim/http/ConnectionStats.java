package io.parley.sim.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulators' HTTP servers did with connections, per server ("llm", "twilio", ...): how
 * many idle keep-alive connections they closed, how many requests a client sent on a connection the
 * server had already closed (each one is a request the client must send again: on a real server it
 * is lost), and how many HTTP/2 cleartext upgrade offers they refused. Thread-safe.
 */
public final class ConnectionStats {

  /** One server's counts. */
  public record Counts(long idleClosed, long requestsOnClosedConnections, long h2cRefused) {}

  private static final class Counters {
    final LongAdder idleClosed = new LongAdder();
    final LongAdder requestsOnClosed = new LongAdder();
    final LongAdder h2cRefused = new LongAdder();

    Counts snapshot() {
      return new Counts(idleClosed.sum(), requestsOnClosed.sum(), h2cRefused.sum());
    }
  }

  private final Map<String, Counters> byServer = new ConcurrentHashMap<>();

  void idleClosed(String server) {
    counters(server).idleClosed.increment();
  }

  void requestOnClosedConnection(String server) {
    counters(server).requestsOnClosed.increment();
  }

  void h2cRefused(String server) {
    counters(server).h2cRefused.increment();
  }

  /** Requests that arrived on a connection the server had closed, on every server. */
  public long requestsOnClosedConnections() {
    return byServer.values().stream().mapToLong(c -> c.requestsOnClosed.sum()).sum();
  }

  /** Idle keep-alive connections closed by every server. */
  public long idleClosed() {
    return byServer.values().stream().mapToLong(c -> c.idleClosed.sum()).sum();
  }

  /** HTTP/2 cleartext upgrade offers refused by every server. */
  public long h2cRefused() {
    return byServer.values().stream().mapToLong(c -> c.h2cRefused.sum()).sum();
  }

  /** One server's counts (zeros for a server that saw nothing). */
  public Counts of(String server) {
    Counters c = byServer.get(server);
    return c == null ? new Counts(0, 0, 0) : c.snapshot();
  }

  /** Every server's counts, by name. */
  public Map<String, Counts> all() {
    Map<String, Counts> out = new TreeMap<>();
    byServer.forEach((name, c) -> out.put(name, c.snapshot()));
    return out;
  }

  private Counters counters(String server) {
    return byServer.computeIfAbsent(server, s -> new Counters());
  }
}
