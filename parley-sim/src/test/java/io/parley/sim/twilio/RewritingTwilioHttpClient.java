package io.parley.sim.twilio;

import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * twilio-java has no base-URL setting; this HttpClient sends its requests to the simulator instead
 * of api.twilio.com, unchanged otherwise (method, path, query, form body, Basic auth).
 */
final class RewritingTwilioHttpClient extends HttpClient {
  private final java.net.http.HttpClient http =
      java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1)
          .build();
  private final URI sim;

  RewritingTwilioHttpClient(URI sim) {
    this.sim = sim;
  }

  @Override
  public Response makeRequest(Request request) {
    URI real = URI.create(request.constructURL().toString());
    URI target =
        URI.create(
            sim + real.getRawPath() + (real.getRawQuery() == null ? "" : "?" + real.getRawQuery()));
    HttpRequest.Builder b = HttpRequest.newBuilder(target);
    String auth = request.getAuthString();
    if (auth == null || !auth.startsWith("Basic ")) {
      auth =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (request.getUsername() + ":" + request.getPassword())
                          .getBytes(StandardCharsets.UTF_8));
    }
    b.header("Authorization", auth);
    if (request.getMethod() == HttpMethod.POST) {
      b.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
    } else if (request.getMethod() == HttpMethod.DELETE) {
      b.DELETE();
    } else {
      b.GET();
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.body(), r.statusCode());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
