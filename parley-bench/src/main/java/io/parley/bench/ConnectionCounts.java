package io.parley.bench;

import io.parley.sim.Sim;
import tools.jackson.databind.node.ObjectNode;

/**
 * What happened to provider connections during a step, from both sides: requests the simulators
 * received on connections they had closed as idle (each would be lost on a real server), idle
 * connections they closed, and the server's model retries, requests sent again after a stale
 * connection, and connection warm-ups.
 */
record ConnectionCounts(
    long requestsOnClosedConnections,
    long idleClosed,
    double llmRetries,
    double staleResends,
    double warmUps) {

  /** The counters now, {@code metrics} being the server's Prometheus text; subtract two. */
  static ConnectionCounts read(Sim sim, String metrics) {
    return new ConnectionCounts(
        sim.connections().requestsOnClosedConnections(),
        sim.connections().idleClosed(),
        ParleyApi.sum(metrics, "parley_llm_retries_total"),
        ParleyApi.sum(metrics, "parley_connection_stale_resends_total"),
        ParleyApi.sum(metrics, "parley_connection_warmups_total"));
  }

  ConnectionCounts minus(ConnectionCounts before) {
    return new ConnectionCounts(
        requestsOnClosedConnections - before.requestsOnClosedConnections,
        idleClosed - before.idleClosed,
        llmRetries - before.llmRetries,
        staleResends - before.staleResends,
        warmUps - before.warmUps);
  }

  ObjectNode json() {
    ObjectNode o = ParleyApi.JSON.createObjectNode();
    o.put("requestsOnClosedConnections", requestsOnClosedConnections);
    o.put("providerIdleClosed", idleClosed);
    o.put("llmRetries", llmRetries);
    o.put("staleResends", staleResends);
    o.put("warmUps", warmUps);
    return o;
  }
}
