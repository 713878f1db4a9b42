package io.parley.calls;

/**
 * The query parameters of {@code GET /api/calls} and its CSV export, bound as text so that {@link
 * CallQuery#parse} can name every bad one in a single 422 (Spring's own conversion would answer a
 * generic 400 for the first). Blank values count as absent.
 */
public record CallListParams(
    String agentId,
    String direction,
    String status,
    String outcome,
    String answeredBy,
    String campaignId,
    String fromNumber,
    String toNumber,
    String from,
    String to,
    String hasRecording,
    String q,
    String sort,
    String page,
    String size) {}
