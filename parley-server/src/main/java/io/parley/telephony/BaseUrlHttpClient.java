package io.parley.telephony;

import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import io.parley.providers.OutboundHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * twilio-java's transport on the JDK's HTTP client, sending every request to a configurable base
 * URL ({@code PARLEY_TWILIO_API_URL}). twilio-java always builds {@code https://api.twilio.com/...}
 * (or a region/edge host); only the scheme, host and port are replaced by the base's (and the
 * base's path, if any, is put in front), so the path, query, form body and Basic credentials go out
 * exactly as the SDK built them. With the default base the request is unchanged.
 *
 * <p>HTTP/1.1, as twilio-java's own client: the JDK default (HTTP/2) offers an h2c upgrade on an
 * {@code http://} base, which a server with a WebSocket upgrade handler refuses. A POST (create a
 * call, start a recording, redirect) is never sent twice: Twilio may have acted on it and closed
 * the connection before answering (docs/dialing.md). Only the pool's idle limit ({@link
 * OutboundHttp}) keeps it off connections the server has closed. A GET that failed that way is sent
 * once more at once.
 */
final class BaseUrlHttpClient extends HttpClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final java.net.http.HttpClient http;
  private final URI base;

  BaseUrlHttpClient(URI base, OutboundHttp outbound) {
    this.base = base;
    this.http =
        outbound
            .jdkClient(CONNECT_TIMEOUT)
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .build();
  }

  /** Where a request twilio-java built for {@code sdkUrl} goes. */
  URI target(URL sdkUrl) {
    String path = sdkUrl.getPath() == null ? "" : sdkUrl.getPath();
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    String query = sdkUrl.getQuery();
    return URI.create(
        base.getScheme()
            + "://"
            + base.getRawAuthority()
            + basePath
            + path
            + (query == null || query.isEmpty() ? "" : "?" + query));
  }

  /**
   * One attempt only. twilio-java would repeat a request that got a 5xx, but a repeated POST can
   * start a second recording (or, once Parley dials, a second call): the caller decides, from
   * {@link CallControlException#retryable()}.
   */
  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }

  @Override
  public Response reliableRequest(
      Request request, int[] retryCodes, int retries, long delayMillis) {
    return makeRequest(request);
  }

  @Override
  public Response makeRequest(Request request) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(target(request.constructURL())).timeout(REQUEST_TIMEOUT);
    for (Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
      for (String value : header.getValue()) {
        builder.header(header.getKey(), value);
      }
    }
    String auth = basicAuth(request);
    if (auth != null) {
      builder.header("Authorization", auth);
    }
    builder.header("Accept", "application/json");
    HttpMethod method = request.getMethod();
    if (method == HttpMethod.POST || method == HttpMethod.PUT) {
      builder
          .header("Content-Type", "application/x-www-form-urlencoded")
          .method(method.toString(), HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
    } else if (method == HttpMethod.DELETE) {
      builder.DELETE();
    } else {
      builder.GET();
    }
    HttpRequest built = builder.build();
    try {
      HttpResponse<String> response;
      try {
        response = send(built);
      } catch (IOException e) {
        if (method != HttpMethod.GET || !OutboundHttp.mayBeStaleConnection(e)) {
          throw e;
        }
        response = send(built);
      }
      return new Response(response.body(), response.statusCode());
    } catch (IOException e) {
      throw new ApiConnectionException("Twilio could not be reached at " + base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiConnectionException("Interrupted while calling Twilio", e);
    }
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String basicAuth(Request request) {
    String auth = request.getAuthString();
    if (auth != null && auth.startsWith("Basic ")) {
      return auth;
    }
    if (request.getUsername() == null || request.getPassword() == null) {
      return null;
    }
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (request.getUsername() + ":" + request.getPassword())
                    .getBytes(StandardCharsets.UTF_8));
  }
}
