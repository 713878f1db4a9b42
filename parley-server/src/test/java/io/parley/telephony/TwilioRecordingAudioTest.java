package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.calls.RecordingAudio;
import io.parley.providers.ApiKey;
import io.parley.providers.OutboundHttp;
import io.parley.providers.OutboundHttpProperties;
import io.parley.providers.TwilioAccount;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

/**
 * The media fetch against two plain HTTP servers standing in for Twilio's API and its media
 * storage: the credentials and the range go to the API; a redirect to storage is followed with the
 * range but without the credentials.
 */
class TwilioRecordingAudioTest {

  private static final String SID = "AC00000000000000000000000000000001";
  private static final String TOKEN = "secret-auth-token";
  private static final byte[] AUDIO = "RIFF....WAVEdata".getBytes(StandardCharsets.US_ASCII);

  private final List<String> apiAuth = new CopyOnWriteArrayList<>();
  private final List<String> storageAuth = new CopyOnWriteArrayList<>();
  private final List<String> storageRanges = new CopyOnWriteArrayList<>();
  private HttpServer api;
  private HttpServer storage;
  private OutboundHttp outbound;

  @BeforeEach
  void start() throws Exception {
    storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    storage.createContext(
        "/media/",
        ex -> {
          storageAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          storageRanges.add(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
          ex.getResponseHeaders().add("Content-Range", "bytes 0-3/" + AUDIO.length);
          ex.sendResponseHeaders(206, 4);
          ex.getResponseBody().write(AUDIO, 0, 4);
          ex.close();
        });
    storage.start();
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/2010-04-01/",
        ex -> {
          apiAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          String path = ex.getRequestURI().getPath();
          if (path.endsWith("/REgone.wav")) {
            ex.sendResponseHeaders(404, -1);
          } else if (path.endsWith("/REmoved.wav")) {
            // Another host name for the same machine: not Twilio's API, so no credentials.
            ex.getResponseHeaders()
                .add("Location", "http://localhost:" + storage.getAddress().getPort() + "/media/x");
            ex.sendResponseHeaders(302, -1);
          } else {
            ex.sendResponseHeaders(200, AUDIO.length);
            ex.getResponseBody().write(AUDIO);
          }
          ex.close();
        });
    api.start();
    outbound = new OutboundHttp(new OutboundHttpProperties(null), new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    api.stop(0);
    storage.stop(0);
  }

  private TwilioRecordingAudio audio() {
    URI apiUrl = URI.create("http://127.0.0.1:" + api.getAddress().getPort() + "/");
    return new TwilioRecordingAudio(
        Optional.of(new TwilioAccount(SID, ApiKey.of(TOKEN), apiUrl)), outbound);
  }

  @Test
  void fetchesTheWavWithTheAccountsCredentials() throws Exception {
    RecordingAudio.Media media = audio().open("RE1", null);
    try (InputStream body = media.body()) {
      assertThat(media.status()).isEqualTo(200);
      assertThat(media.contentLength()).isEqualTo(AUDIO.length);
      assertThat(body.readAllBytes()).isEqualTo(AUDIO);
    }
    String basic =
        java.util.Base64.getEncoder()
            .encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
    assertThat(apiAuth).containsExactly("Basic " + basic);
  }

  @Test
  void followsARedirectToStorageWithTheRangeButWithoutTheCredentials() throws Exception {
    RecordingAudio.Media media = audio().open("REmoved", "bytes=0-3");
    try (InputStream body = media.body()) {
      assertThat(media.status()).isEqualTo(206);
      assertThat(media.contentRange()).isEqualTo("bytes 0-3/" + AUDIO.length);
      assertThat(body.readAllBytes()).hasSize(4);
    }
    assertThat(apiAuth).singleElement().asString().startsWith("Basic ");
    assertThat(storageAuth).containsExactly("null");
    assertThat(storageRanges).containsExactly("bytes=0-3");
  }

  @Test
  void aRecordingTwilioNoLongerHasIs404AndNoAccountIs503() {
    assertThatThrownBy(() -> audio().open("REgone", null))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getStatusCode().value()).isEqualTo(404));
    assertThatThrownBy(() -> new TwilioRecordingAudio(Optional.empty(), outbound).open("RE1", null))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> {
              assertThat(e.getStatusCode().value()).isEqualTo(503);
              assertThat(e.getBody().getDetail()).contains("PARLEY_TWILIO_AUTH_TOKEN");
            });
  }

  @Test
  void twilioUnreachableIs502WithoutItsAddress() throws Exception {
    TwilioRecordingAudio audio = audio();
    int port = api.getAddress().getPort();
    api.stop(0);
    assertThatThrownBy(() -> audio.open("RE1", null))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> {
              assertThat(e.getStatusCode().value()).isEqualTo(502);
              assertThat(e.getBody().getDetail()).doesNotContain(Integer.toString(port));
            });
  }
}
