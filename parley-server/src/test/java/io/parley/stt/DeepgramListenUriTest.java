package io.parley.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeepgramListenUriTest {

  @Test
  void httpsBecomesWssWithEveryParameterDeepgramNeeds() {
    URI uri =
        DeepgramListenUri.of(
            URI.create("https://api.deepgram.com"),
            SttSpec.forCall("CA123").withKeyterms(List.of("Parley Health", "Dr. Rao")));

    assertThat(uri.getScheme()).isEqualTo("wss");
    assertThat(uri.getHost()).isEqualTo("api.deepgram.com");
    assertThat(uri.getPath()).isEqualTo("/v1/listen");
    assertThat(uri.getRawQuery())
        .isEqualTo(
            "model=nova-3&encoding=mulaw&sample_rate=8000&channels=1&language=en-US"
                + "&interim_results=true&vad_events=true&endpointing=300&utterance_end_ms=1000"
                + "&smart_format=true&punctuate=true&keyterm=Parley%20Health&keyterm=Dr.%20Rao"
                + "&extra=call_sid%3ACA123");
  }

  @Test
  void httpBecomesWsAndABasePathAndPortAreKept() {
    URI uri =
        DeepgramListenUri.of(
            URI.create("http://127.0.0.1:18081/deepgram/"),
            SttSpec.forCall(null).withModel("nova-3-medical").withTurnTaking(0, 0));

    assertThat(uri.toString())
        .startsWith("ws://127.0.0.1:18081/deepgram/v1/listen?model=nova-3-medical&")
        .contains("&endpointing=false&")
        .doesNotContain("utterance_end_ms")
        .doesNotContain("extra=");
  }
}
