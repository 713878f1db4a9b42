package io.parley.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The foundation issue's "done when", through the public API with real accounts and tokens: an
 * admin is set up with the setup code and signs in, creates a prompt, edits it twice, renders
 * version 2 with lead data, creates an agent bound to it with two tools; a VIEWER cannot change the
 * agent; the audit log saw it all.
 */
@DbTest
class FoundationJourneyTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;

  private Accounts accounts;

  @BeforeEach
  void cleanDatabase() {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
  }

  @Test
  void adminBuildsAnAgentOnAVersionedPromptAndAViewerCannotChangeIt() throws Exception {
    Accounts.Session admin = accounts.firstAdmin();

    JsonNode prompt =
        call(
            post("/api/prompts").with(admin.bearer()),
            """
            {"name": "Appointment reminder",
             "content": "You are {{agent_name}}. Remind {{first_name}} of the visit.",
             "variables": [{"name": "first_name", "required": true}],
             "note": "first draft"}
            """,
            201);
    String promptId = prompt.get("id").asString();
    assertThat(prompt.get("version").asInt()).isEqualTo(1);

    call(
        put("/api/prompts/" + promptId).with(admin.bearer()),
        """
        {"baseVersion": 1,
         "content": "You are {{agent_name}}. Remind {{first_name}} of the visit on {{visit_day}}.",
         "variables": [{"name": "first_name", "required": true},
                       {"name": "visit_day", "defaultValue": "Monday"}],
         "note": "mention the day"}
        """,
        200);
    call(
        put("/api/prompts/" + promptId).with(admin.bearer()),
        """
        {"baseVersion": 2,
         "content": "You are {{agent_name}}. Greet {{first_name}} warmly; the visit is {{visit_day}}.",
         "note": "warmer"}
        """,
        200);
    // An edit that started from a version that is no longer current loses.
    call(
        put("/api/prompts/" + promptId).with(admin.bearer()),
        "{\"baseVersion\": 2, \"content\": \"late edit\"}",
        409);

    mvc.perform(get("/api/prompts/" + promptId + "/versions").with(admin.bearer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.total").value(3));

    JsonNode rendered =
        call(
            post("/api/prompts/" + promptId + "/versions/2/render").with(admin.bearer()),
            """
            {"variables": {"first_name": "प्रिया"}, "agentName": "Asha"}
            """,
            200);
    assertThat(rendered.get("text").asString())
        .isEqualTo("You are Asha. Remind प्रिया of the visit on Monday.");
    assertThat(rendered.get("version").asInt()).isEqualTo(2);

    JsonNode agent =
        call(
            post("/api/agents").with(admin.bearer()),
            """
            {"name": "Reminder desk",
             "promptId": "%s",
             "promptVersion": 2,
             "greeting": "Hello, this is Asha from City Clinic.",
             "disclosure": "This call is with an automated assistant and may be recorded.",
             "language": "en-US",
             "voice": {"provider": "elevenlabs", "voiceId": "asha-01"},
             "fallbackVoice": {"provider": "deepgram", "voiceId": "aura-2-thalia-en"},
             "llm": {"provider": "xai", "model": "grok-3-mini", "temperature": 0.3},
             "twilioNumber": "+14155550123",
             "tools": [
               {"type": "end_call"},
               {"type": "record_answer", "name": "confirmation",
                "description": "Whether the patient confirms the visit",
                "schema": {"type": "object",
                           "properties": {"confirmed": {"type": "boolean"}},
                           "required": ["confirmed"]}}
             ]}
            """
                .formatted(promptId),
            201);
    String agentId = agent.get("id").asString();
    assertThat(agent.get("tools")).hasSize(2);

    Accounts.Session viewer = accounts.user(Role.VIEWER);
    mvc.perform(get("/api/agents/" + agentId).with(viewer.bearer())).andExpect(status().isOk());
    String change = JSON.writeValueAsString(agent).replace("Reminder desk", "Hijacked desk");
    call(put("/api/agents/" + agentId).with(viewer.bearer()), change, 403);
    call(post("/api/prompts").with(viewer.bearer()), "{\"name\":\"x\",\"content\":\"y\"}", 403);

    JsonNode audit = call(get("/api/audit?size=50").with(admin.bearer()), null, 200);
    assertThat(audit.get("items").valueStream().map(e -> e.get("action").asString()))
        .contains(
            "user.setup_admin",
            "auth.login",
            "prompt.created",
            "prompt.updated",
            "agent.created",
            "user.created");
    // The viewer's refused change left no trace in the agent.
    mvc.perform(get("/api/agents/" + agentId).with(admin.bearer()))
        .andExpect(jsonPath("$.name").value("Reminder desk"));
  }

  private JsonNode call(MockHttpServletRequestBuilder request, String body, int expectedStatus)
      throws Exception {
    if (body != null) {
      request.contentType(MediaType.APPLICATION_JSON).content(body);
    }
    String response =
        mvc.perform(request)
            .andExpect(status().is(expectedStatus))
            .andReturn()
            .getResponse()
            .getContentAsString();
    return response.isEmpty() ? JSON.createObjectNode() : JSON.readTree(response);
  }
}
