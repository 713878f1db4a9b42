package io.parley.telephony;

import io.parley.calls.RecordingAudio;
import io.parley.providers.OutboundHttp;
import io.parley.providers.ProviderRegistry;
import io.parley.providers.TwilioAccount;
import io.parley.shared.LogSafe;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Fetches a recording's media from Twilio ({@code /2010-04-01/Accounts/{Sid}/Recordings/{Sid}.wav}
 * under {@code PARLEY_TWILIO_API_URL}) with the account's credentials, streaming. The URL is built
 * from the configured API address and the RecordingSid, never taken from the stored recording URL,
 * so a stored value can never send the credentials elsewhere. Twilio may answer with a redirect to
 * its media storage: that is followed without the credentials, which are for Twilio's API only.
 * WAV, Twilio's own format, so nothing is transcoded and every browser plays it.
 */
@Component
class TwilioRecordingAudio implements RecordingAudio {

  private static final Logger log = LoggerFactory.getLogger(TwilioRecordingAudio.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(20);
  private static final int MAX_REDIRECTS = 3;
  private static final Pattern RECORDING_SID = Pattern.compile("[A-Za-z0-9]{1,64}");

  private final Optional<TwilioAccount> account;
  private final HttpClient http;

  @Autowired
  TwilioRecordingAudio(ProviderRegistry providers, OutboundHttp outbound) {
    this(providers.twilio(), outbound);
  }

  TwilioRecordingAudio(Optional<TwilioAccount> account, OutboundHttp outbound) {
    this.account = account;
    // Redirects are followed here, so the credentials go to Twilio's API only.
    this.http =
        outbound.jdkClient(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public Media open(String recordingSid, String range) {
    TwilioAccount account = configured();
    checkSid(recordingSid);
    URI url = media(account, recordingSid);
    String credentials = credentials(account);
    try {
      for (int hop = 0; ; hop++) {
        boolean twilio = sameOrigin(url, account.apiUrl());
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET();
        if (twilio) {
          request.header("Authorization", credentials);
        }
        if (range != null) {
          request.header("Range", range);
        }
        HttpResponse<InputStream> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status >= 300 && status < 400 && hop < MAX_REDIRECTS) {
          String location = response.headers().firstValue("Location").orElse(null);
          response.body().close();
          if (location == null) {
            throw failed("Twilio redirected the recording without saying where");
          }
          url = url.resolve(location);
          continue;
        }
        if (status == 200 || status == 206 || status == 416) {
          return new Media(
              status,
              response.headers().firstValueAsLong("Content-Length").orElse(-1),
              response.headers().firstValue("Content-Range").orElse(null),
              response.body());
        }
        response.body().close();
        if (status == 404) {
          throw problem(
              HttpStatus.NOT_FOUND,
              "Not Found",
              "Twilio no longer has recording " + recordingSid + " (deleted?)");
        }
        if (status == 401 || status == 403) {
          throw failed(
              "Twilio refused the credentials (check PARLEY_TWILIO_ACCOUNT_SID and"
                  + " PARLEY_TWILIO_AUTH_TOKEN)");
        }
        throw failed("Twilio answered " + status + " for the recording (retry later)");
      }
    } catch (IOException e) {
      // The message may name an internal address: the log only.
      log.warn(
          "Could not fetch recording {} from Twilio: {}", recordingSid, LogSafe.text(e.toString()));
      throw failed("Twilio could not be reached for the recording (retry later)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("Interrupted while fetching the recording");
    }
  }

  @Override
  public void delete(String recordingSid) {
    TwilioAccount account = configured();
    checkSid(recordingSid);
    URI url = resource(account, recordingSid, ".json");
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(RESPONSE_TIMEOUT)
            .header("Authorization", credentials(account))
            .DELETE()
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status == 204 || status == 200 || status == 404) {
        return;
      }
      if (status == 401 || status == 403) {
        throw failed(
            "Twilio refused the credentials (check PARLEY_TWILIO_ACCOUNT_SID and"
                + " PARLEY_TWILIO_AUTH_TOKEN)");
      }
      throw failed("Twilio answered " + status + " to deleting the recording (retry later)");
    } catch (IOException e) {
      log.warn(
          "Could not delete recording {} at Twilio: {}", recordingSid, LogSafe.text(e.toString()));
      throw failed("Twilio could not be reached to delete the recording (retry later)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("Interrupted while deleting the recording");
    }
  }

  private TwilioAccount configured() {
    return this.account.orElseThrow(
        () ->
            problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Twilio is not configured",
                "Twilio is not configured: set PARLEY_TWILIO_ACCOUNT_SID and"
                    + " PARLEY_TWILIO_AUTH_TOKEN"));
  }

  private static void checkSid(String recordingSid) {
    if (recordingSid == null || !RECORDING_SID.matcher(recordingSid).matches()) {
      throw new IllegalArgumentException("Not a RecordingSid");
    }
  }

  private static String credentials(TwilioAccount account) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (account.accountSid() + ":" + account.authToken().reveal())
                    .getBytes(StandardCharsets.UTF_8));
  }

  private static URI media(TwilioAccount account, String recordingSid) {
    return resource(account, recordingSid, ".wav");
  }

  private static URI resource(TwilioAccount account, String recordingSid, String extension) {
    String base = account.apiUrl().toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(
        base
            + "/2010-04-01/Accounts/"
            + account.accountSid()
            + "/Recordings/"
            + recordingSid
            + extension);
  }

  /** Only Twilio's own API gets the credentials, never a host it redirects to. */
  private static boolean sameOrigin(URI url, URI api) {
    return Objects.equals(lower(url.getScheme()), lower(api.getScheme()))
        && Objects.equals(lower(url.getHost()), lower(api.getHost()))
        && port(url) == port(api);
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static ErrorResponseException failed(String detail) {
    return problem(HttpStatus.BAD_GATEWAY, "Twilio failed", detail);
  }

  private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
    body.setTitle(title);
    body.setType(URI.create("about:blank"));
    return new ErrorResponseException(status, body, null);
  }
}
