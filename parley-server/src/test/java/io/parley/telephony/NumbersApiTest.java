package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/numbers} against the Twilio simulator: the account's numbers as Twilio holds
 * them, the agent answering each, and whether their webhooks lead to Parley.
 */
@Tag("db")
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class NumbersApiTest {

  private static final String AGENT_NUMBER = "+14155550160";
  private static final String OTHER_NUMBER = "+14155550161";
  private static final UUID PROMPT = UUID.fromString("66666666-6666-6666-6666-666666666666");
  private static final UUID USER = UUID.fromString("77777777-7777-7777-7777-777777777777");
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @AutoClose
  private static final Sim SIM =
      Sim.start(SimConfig.defaults().withTwilio(SimTwilio.owning(AGENT_NUMBER, OTHER_NUMBER)));

  @DynamicPropertySource
  static void twilio(DynamicPropertyRegistry registry) {
    io.parley.support.SimProviders.twilio(registry, SIM);
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;

  private String agentId;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Front desk", "You answer the phone.", USER);
    agentId =
        new AgentRequests(mvc, as("OPERATOR"))
            .createAndAwaitNumberSync(
                """
                {"name": "Front desk", "promptId": "%s", "greeting": "Hello.",
                 "voice": {"provider": "elevenlabs", "voiceId": "v1"},
                 "llm": {"model": "grok-3-mini"}, "twilioNumber": "%s"}
                """
                    .formatted(PROMPT, AGENT_NUMBER));
    // Someone pointed the other number elsewhere in the console, and the agent's SMS at Parley.
    SIM.twilio().voiceUrl(OTHER_NUMBER, "https://elsewhere.example.com/voice");
    SIM.twilio().smsUrl(OTHER_NUMBER, "https://localhost.example.com/twilio/sms");
    SIM.twilio().smsUrl(AGENT_NUMBER, "http://localhost/twilio/sms");
  }

  @Test
  void listsTheAccountsNumbersWithTheirAgentAndWhetherTheyPointAtParley() throws Exception {
    JsonNode body = list(as("VIEWER"));

    // MockMvc's requests come to http://localhost: without PARLEY_PUBLIC_URL that is Parley's URL.
    assertThat(body.get("parleyUrl").asString()).isEqualTo("http://localhost");
    JsonNode items = body.get("items");
    assertThat(items.size()).isEqualTo(2);
    JsonNode agent = items.get(0);
    assertThat(agent.get("phoneNumber").asString()).isEqualTo(AGENT_NUMBER);
    assertThat(agent.get("sid").asString()).startsWith("PN");
    assertThat(agent.get("friendlyName").asString()).isEqualTo(AGENT_NUMBER);
    assertThat(agent.get("agentId").asString()).isEqualTo(agentId);
    assertThat(agent.get("agentName").asString()).isEqualTo("Front desk");
    assertThat(agent.get("voiceUrl").asString()).isEqualTo("http://localhost/twilio/voice");
    assertThat(agent.get("voicePointsAtParley").asBoolean()).isTrue();
    assertThat(agent.get("smsPointsAtParley").asBoolean()).isTrue();

    JsonNode other = items.get(1);
    assertThat(other.get("phoneNumber").asString()).isEqualTo(OTHER_NUMBER);
    assertThat(other.has("agentId")).isFalse();
    assertThat(other.has("agentName")).isFalse();
    assertThat(other.get("voiceUrl").asString()).isEqualTo("https://elsewhere.example.com/voice");
    assertThat(other.get("voicePointsAtParley").asBoolean()).isFalse();
    // A host that merely starts with Parley's is not Parley.
    assertThat(other.get("smsPointsAtParley").asBoolean()).isFalse();
  }

  @Test
  void aNumberRepointedAwayIsNoLongerParleys() throws Exception {
    SIM.twilio().voiceUrl(AGENT_NUMBER, "http://localhost/twilio/voice-old");

    JsonNode agent = list(as("VIEWER")).get("items").get(0);
    assertThat(agent.get("agentId").asString()).isEqualTo(agentId);
    assertThat(agent.get("voicePointsAtParley").asBoolean()).isFalse();
  }

  @Test
  void needsASignedInUser() throws Exception {
    mvc.perform(get("/api/numbers")).andExpect(status().isUnauthorized());
  }

  private JsonNode list(RequestPostProcessor as) throws Exception {
    String json =
        mvc.perform(get("/api/numbers").with(as))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return MAPPER.readTree(json);
  }

  private static RequestPostProcessor as(String role) {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_" + role));
  }
}
