package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * The voice webhook behind a TLS-terminating proxy that strips a path prefix: {@code
 * PARLEY_PUBLIC_URL} is an https URL, Twilio signs that URL, and the stream it is sent to is {@code
 * wss://} on the public host.
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class VoiceWebhookPublicUrlTest {

  static final String PUBLIC_URL = "https://parley.example.test/edge";
  static final String AGENT_NUMBER = "+14155550160";
  static final UUID PROMPT = UUID.fromString("99999999-9999-9999-9999-999999999999");
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  @AutoClose
  static final Sim SIM = Sim.start(SimConfig.defaults().withTwilio(SimTwilio.owning(AGENT_NUMBER)));

  @DynamicPropertySource
  static void providers(DynamicPropertyRegistry registry) {
    registry.add("parley.public-url", () -> PUBLIC_URL);
    // a reverse proxy routes /edge/twilio/media on the same host to the media port
    registry.add("parley.public-media-url", () -> "wss://parley.example.test/edge");
    io.parley.support.SimProviders.twilio(registry, SIM);
    registry.add("PARLEY_DEEPGRAM_API_KEY", () -> SIM.config().deepgram().apiKey());
    registry.add("PARLEY_ELEVENLABS_API_KEY", () -> SIM.config().elevenLabs().apiKey());
    registry.add("PARLEY_LLM_XAI_API_KEY", () -> SIM.llm().apiKey());
  }

  @LocalServerPort int port;
  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;
  @Autowired CallCapacity capacity;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Front desk", "You answer the phone.", UUID.randomUUID());
  }

  @Test
  void anHttpsPublicUrlWithAPublicMediaUrlSendsTheCallToTheProxysWssRoute() throws Exception {
    createAgent();
    TwilioByHand twilio =
        new TwilioByHand(PUBLIC_URL, "http://127.0.0.1:" + port, SIM.twilio().authToken());
    String callSid = TwilioByHand.callSid();

    HttpResponse<String> response =
        twilio.post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, "+14155550177", AGENT_NUMBER));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    TwilioByHand.Answer answer = TwilioByHand.read(response.body());
    assertThat(answer.streamUrl())
        .isEqualTo(URI.create("wss://parley.example.test/edge" + PublicUrls.MEDIA));
    CallRecord call = records.findByCallSid(callSid).orElseThrow();
    assertThat(answer.connectAction())
        .isEqualTo(PUBLIC_URL + PublicUrls.STREAM_ENDED + "?call=" + call.id());
    assertThat(answer.token()).isNotBlank();
    capacity.release(call.id());

    // The request's own URL is not what Twilio signed here, so a signature over it is refused.
    TwilioByHand direct =
        new TwilioByHand(
            "http://127.0.0.1:" + port, "http://127.0.0.1:" + port, SIM.twilio().authToken());
    assertThat(
            direct
                .post(
                    PublicUrls.VOICE,
                    TwilioByHand.inbound(TwilioByHand.callSid(), "+14155550177", AGENT_NUMBER))
                .statusCode())
        .isEqualTo(403);
  }

  private void createAgent() throws Exception {
    String body =
        """
        {"name": "Desk", "promptId": "%s", "greeting": "Hello.",
         "voice": {"provider": "elevenlabs", "voiceId": "v1"},
         "llm": {"model": "grok-4-fast-non-reasoning"}, "twilioNumber": "%s",
         "recording": {"enabled": false}}
        """
            .formatted(PROMPT, AGENT_NUMBER);
    new AgentRequests(mvc, VoiceWebhookTest.operator()).createAndAwaitNumberSync(body);
  }
}
