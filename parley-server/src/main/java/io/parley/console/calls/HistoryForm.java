package io.parley.console.calls;

import io.parley.calls.CallListParams;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The history page's query, as the form shows it and the links repeat it. {@code from} and {@code
 * to} come from {@code datetime-local} fields (no zone: read as UTC, as the page says); a full
 * ISO-8601 instant passes as it is. Everything else goes to the API's parser unchanged.
 */
public record HistoryForm(
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
    String size) {

  private static final Pattern LOCAL =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?");

  static HistoryForm of(CallListParams p) {
    return new HistoryForm(
        blankless(p.agentId()),
        blankless(p.direction()),
        blankless(p.status()),
        blankless(p.outcome()),
        blankless(p.answeredBy()),
        blankless(p.campaignId()),
        blankless(p.fromNumber()),
        blankless(p.toNumber()),
        blankless(p.from()),
        blankless(p.to()),
        blankless(p.hasRecording()),
        blankless(p.q()),
        blankless(p.sort()),
        blankless(p.page()),
        blankless(p.size()));
  }

  CallListParams toApi() {
    return new CallListParams(
        agentId,
        direction,
        status,
        outcome,
        answeredBy,
        campaignId,
        fromNumber,
        toNumber,
        instant(from),
        instant(to),
        hasRecording,
        q,
        sort,
        page,
        size);
  }

  /** The sort in force: the API's default is newest first. */
  String sortOrDefault() {
    return sort == null ? "-createdAt" : sort;
  }

  /** {@code 2026-12-07T09:30} as the field shows it, for an instant or a local value. */
  public String fieldValue(String value) {
    if (value == null) {
      return "";
    }
    String local = value.endsWith("Z") ? value.substring(0, value.length() - 1) : value;
    return LOCAL.matcher(local).matches() ? local : value;
  }

  /** This query's link with some parameters replaced (null removes one). */
  String link(String path, Map<String, String> changes) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("agentId", agentId);
    params.put("direction", direction);
    params.put("status", status);
    params.put("outcome", outcome);
    params.put("answeredBy", answeredBy);
    params.put("campaignId", campaignId);
    params.put("fromNumber", fromNumber);
    params.put("toNumber", toNumber);
    params.put("from", from);
    params.put("to", to);
    params.put("hasRecording", hasRecording);
    params.put("q", q);
    params.put("sort", sort);
    params.put("page", page);
    params.put("size", size);
    params.putAll(changes);
    UriComponentsBuilder uri = UriComponentsBuilder.fromPath(path);
    params.forEach(
        (name, value) -> {
          if (value != null) {
            uri.queryParam(name, value);
          }
        });
    return uri.encode().build().toUriString();
  }

  private static String instant(String value) {
    if (value == null) {
      return null;
    }
    if (LOCAL.matcher(value).matches()) {
      return value.length() == 16 ? value + ":00Z" : value + "Z";
    }
    return value;
  }

  private static String blankless(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
