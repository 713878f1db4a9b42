package io.parley.stt;

import io.parley.shared.WebSocketScheme;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code /v1/listen} WebSocket address for a spec (PROTOCOLS.md 2.2): the provider's base URL
 * with {@code http} turned into {@code ws} and {@code https} into {@code wss}, and the query Parley
 * always sends.
 */
final class DeepgramListenUri {

  private DeepgramListenUri() {}

  static URI of(URI baseUrl, SttSpec spec) {
    String wsScheme = WebSocketScheme.of(baseUrl);
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    StringBuilder query = new StringBuilder();
    param(query, "model", spec.model());
    param(query, "encoding", "mulaw");
    param(query, "sample_rate", "8000");
    param(query, "channels", "1");
    param(query, "language", spec.language());
    param(query, "interim_results", Boolean.toString(spec.interimResults()));
    param(query, "vad_events", Boolean.toString(spec.vadEvents()));
    param(
        query,
        "endpointing",
        spec.endpointingMs() == 0 ? "false" : Integer.toString(spec.endpointingMs()));
    if (spec.utteranceEndMs() > 0) {
      param(query, "utterance_end_ms", Integer.toString(spec.utteranceEndMs()));
    }
    param(query, "smart_format", "true");
    param(query, "punctuate", "true");
    // Deepgram takes one keyterm parameter per term.
    spec.keyterms().forEach(term -> param(query, "keyterm", term));
    if (spec.callSid() != null) {
      param(query, "extra", "call_sid:" + spec.callSid());
    }
    String authority = baseUrl.getRawAuthority();
    return URI.create(wsScheme + "://" + authority + path + "/v1/listen?" + query);
  }

  private static void param(StringBuilder query, String name, String value) {
    if (!query.isEmpty()) {
      query.append('&');
    }
    query.append(name).append('=').append(encode(value));
  }

  /** Percent-encoding with {@code %20} for spaces: a {@code +} is not a space to every server. */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
