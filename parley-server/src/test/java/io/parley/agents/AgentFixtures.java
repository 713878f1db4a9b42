package io.parley.agents;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;

import io.parley.support.PromptRows;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Request bodies and signed-in users for the agent tests. */
final class AgentFixtures {

  static final UUID PROMPT = UUID.fromString("11111111-1111-1111-1111-111111111111");
  static final UUID OTHER_PROMPT = UUID.fromString("22222222-2222-2222-2222-222222222222");
  static final UUID USER = UUID.fromString("33333333-3333-3333-3333-333333333333");
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private AgentFixtures() {}

  /**
   * Creates {@link #PROMPT} and {@link #OTHER_PROMPT} (each with version 1) as real rows, so agents
   * bind to prompts the prompts module itself reports as existing.
   */
  static void createPrompts(DataSource dataSource) {
    for (UUID id : new UUID[] {PROMPT, OTHER_PROMPT}) {
      PromptRows.insert(
          dataSource, id, "Prompt " + id, "You remind patients of appointments.", USER);
    }
  }

  /** A complete, valid agent with two tools. */
  static ObjectNode agent(String number) {
    ObjectNode body =
        (ObjectNode)
            MAPPER.readTree(
                """
                {
                  "name": "Clinic reminders",
                  "promptId": "%s",
                  "promptVersion": 1,
                  "greeting": "नमस्ते! This is Asha from City Clinic.",
                  "disclosure": "This call is with an automated assistant and may be recorded.",
                  "language": "hi-IN",
                  "alwaysAnswerInLanguage": true,
                  "timeZone": "Asia/Kolkata",
                  "voice": {"provider": "elevenlabs", "voiceId": "asha-01", "model": "eleven_flash_v2_5"},
                  "fallbackVoice": {"provider": "deepgram", "voiceId": "aura-2-thalia-en"},
                  "stt": {"provider": "deepgram", "model": "nova-3-medical"},
                  "llm": {"provider": "xai", "model": "grok-3-mini", "temperature": 0.4},
                  "twilioNumber": "%s",
                  "recording": {"enabled": true, "channels": "dual"},
                  "amd": {"mode": "detect_message_end", "async": false, "timeoutSeconds": 20},
                  "turnTaking": {"endpointingMs": 250, "backchannels": ["haan", "okay"]},
                  "backgroundAmbience": true,
                  "maxCallDurationSeconds": 600,
                  "tools": [
                    {"type": "end_call"},
                    {"type": "record_answer", "name": "appointment_date",
                     "description": "The date the caller chose",
                     "schema": {"type": "object", "properties": {"date": {"type": "string", "format": "date"}},
                                "required": ["date"]}}
                  ]
                }
                """
                    .formatted(PROMPT, number));
    if (number == null) {
      body.remove("twilioNumber");
    }
    return body;
  }

  /** The smallest valid agent: everything else takes its default. */
  static ObjectNode minimalAgent() {
    return (ObjectNode)
        MAPPER.readTree(
            """
            {
              "name": "Minimal",
              "promptId": "%s",
              "greeting": "Hello!",
              "voice": {"provider": "elevenlabs", "voiceId": "v1"},
              "llm": {"model": "grok-3-mini"}
            }
            """
                .formatted(PROMPT));
  }

  static RequestPostProcessor as(String role) {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_" + role));
  }
}
