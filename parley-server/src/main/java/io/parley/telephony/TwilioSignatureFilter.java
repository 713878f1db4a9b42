package io.parley.telephony;

import io.parley.shared.LogSafe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets a request under {@code /twilio/} through only when it carries a valid {@code
 * X-Twilio-Signature}; anything else gets a 403 problem detail before it reaches a controller.
 * Without a Twilio auth token nothing can be verified, so every webhook is refused (and the reason
 * logged once).
 */
class TwilioSignatureFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(TwilioSignatureFilter.class);
  static final String HEADER = "X-Twilio-Signature";

  private final TwilioSignatures signatures;
  private final PublicUrls urls;
  private final JsonMapper json;
  private final AtomicBoolean warnedUnconfigured = new AtomicBoolean();

  TwilioSignatureFilter(TwilioSignatures signatures, PublicUrls urls, JsonMapper json) {
    this.signatures = signatures;
    this.urls = urls;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!signatures.configured()) {
      if (warnedUnconfigured.compareAndSet(false, true)) {
        log.warn(
            "Refusing Twilio webhooks: PARLEY_TWILIO_ACCOUNT_SID and PARLEY_TWILIO_AUTH_TOKEN are"
                + " not both set, so X-Twilio-Signature cannot be verified");
      }
      forbid(request, response, "Twilio is not configured on this server.");
      return;
    }
    String url = urls.requestedUrl(request);
    String signature = request.getHeader(HEADER);
    Map<String, List<String>> params;
    try {
      params = postParams(request);
    } catch (IllegalStateException undecodable) {
      // Tomcat cannot decode the query or form (a stray %): nothing to verify a signature over.
      refuse(
          request,
          response,
          HttpStatus.BAD_REQUEST,
          "The query or form parameters cannot be decoded.");
      return;
    }
    if (signature == null || !signatures.valid(url, params, signature)) {
      log.warn(
          "Refused {} {}: {} X-Twilio-Signature (checked against {})",
          LogSafe.text(request.getMethod()),
          LogSafe.text(request.getRequestURI()),
          signature == null ? "missing" : "invalid",
          LogSafe.text(url));
      forbid(
          request,
          response,
          signature == null
              ? "X-Twilio-Signature is missing."
              : "X-Twilio-Signature does not match this request.");
      return;
    }
    chain.doFilter(request, response);
  }

  /**
   * The form parameters of the body only: the servlet merges query parameters in front of body
   * values of the same name, and Twilio signs the query as part of the URL, so those are removed.
   */
  static Map<String, List<String>> postParams(HttpServletRequest request) {
    if (!"POST".equalsIgnoreCase(request.getMethod())) {
      return Map.of();
    }
    Map<String, Integer> inQuery = new HashMap<>();
    String query = request.getQueryString();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (!pair.isEmpty()) {
          String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
          inQuery.merge(URLDecoder.decode(name, StandardCharsets.UTF_8), 1, Integer::sum);
        }
      }
    }
    Map<String, List<String>> body = new LinkedHashMap<>();
    request
        .getParameterMap()
        .forEach(
            (name, values) -> {
              int skip = inQuery.getOrDefault(name, 0);
              if (values.length > skip) {
                body.put(name, Arrays.asList(values).subList(skip, values.length));
              }
            });
    return body;
  }

  private void forbid(HttpServletRequest request, HttpServletResponse response, String detail)
      throws IOException {
    refuse(request, response, HttpStatus.FORBIDDEN, detail);
  }

  private void refuse(
      HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", status.getReasonPhrase());
    body.put("status", status.value());
    body.put("detail", detail);
    body.put("instance", request.getRequestURI());
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(json.writeValueAsString(body));
  }
}
