package io.parley.agents;

import static io.parley.agents.AgentFixtures.MAPPER;
import static io.parley.agents.AgentFixtures.agent;
import static io.parley.agents.AgentFixtures.as;
import static io.parley.agents.AgentFixtures.minimalAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.shared.AuditEvent;
import io.parley.shared.Organisations;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@DbTest
@RecordApplicationEvents
class AgentApiTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired ApplicationEvents events;

  @Autowired AuditProbe auditProbe;

  /** Sees audit events as the audit module will: synchronously, inside the publishing call. */
  @TestConfiguration
  static class AuditProbe {
    final List<Boolean> inTransaction = new CopyOnWriteArrayList<>();

    @EventListener
    void on(AuditEvent event) {
      inTransaction.add(TransactionSynchronizationManager.isActualTransactionActive());
      if ("Refused by audit".equals(event.details().get("name"))) {
        throw new IllegalStateException("the audit log could not be written");
      }
    }
  }

  @BeforeEach
  void setUp() {
    auditProbe.inTransaction.clear();
    DatabaseCleaner.clean(dataSource);
    AgentFixtures.createPrompts(dataSource);
  }

  @Test
  void createsAnAgentAndReturnsItWithItsLocation() throws Exception {
    JsonNode created =
        body(
            create(agent("+14155550123"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", startsWith("/api/agents/")))
                .andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.name").value("Clinic reminders"))
                .andExpect(jsonPath("$.promptVersion").value(1))
                .andExpect(jsonPath("$.greeting").value("नमस्ते! This is Asha from City Clinic."))
                .andExpect(jsonPath("$.twilioNumber").value("+14155550123"))
                .andExpect(jsonPath("$.stt.model").value("nova-3-medical"))
                .andExpect(jsonPath("$.recording.channels").value("dual"))
                .andExpect(jsonPath("$.amd.mode").value("detect_message_end"))
                .andExpect(jsonPath("$.amd.speechThresholdMs").value(2400))
                .andExpect(jsonPath("$.turnTaking.endpointingMs").value(250))
                .andExpect(jsonPath("$.turnTaking.utteranceEndMs").value(1000))
                .andExpect(jsonPath("$.tools[0].type").value("end_call"))
                .andExpect(jsonPath("$.tools[1].type").value("record_answer"))
                .andExpect(jsonPath("$.tools[1].schema.required[0]").value("date"))
                .andExpect(jsonPath("$.createdBy.email").value("ops@example.com"))
                .andExpect(jsonPath("$.status.numberSync").value("not_configured")));
    String id = created.get("id").asString();

    JsonNode read = body(mvc.perform(get("/api/agents/" + id).with(as("VIEWER"))));
    assertThat(read).isEqualTo(created);
    assertThat(audits()).extracting(AuditEvent::action).containsExactly("agent.created");
    AuditEvent audit = audits().getFirst();
    assertThat(audit.targetType()).isEqualTo("agent");
    assertThat(audit.targetId()).isEqualTo(id);
    assertThat(audit.actorId()).isEqualTo(AgentFixtures.USER);
    assertThat(audit.details()).containsEntry("twilioNumber", "+14155550123");
  }

  @Test
  void auditEventsArePublishedInsideTheTransactionSoAFailedAuditUndoesTheChange() throws Exception {
    String id = body(create(agent("+14155550123"))).get("id").asString();
    ObjectNode edit = agent("+14155550123").put("version", 1);
    edit.put("name", "Refused by audit");

    mvc.perform(
            put("/api/agents/" + id)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(edit.toString()))
        .andExpect(status().isInternalServerError());
    create(agent(null).put("name", "Refused by audit")).andExpect(status().isInternalServerError());

    assertThat(auditProbe.inTransaction).containsExactly(true, true, true);
    mvc.perform(get("/api/agents").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].name").value("Clinic reminders"))
        .andExpect(jsonPath("$.items[0].version").value(1));
  }

  @Test
  void fillsInDefaultsForEverythingLeftOut() throws Exception {
    create(minimalAgent())
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.promptVersion").value("latest"))
        .andExpect(jsonPath("$.language").value("en-US"))
        .andExpect(jsonPath("$.alwaysAnswerInLanguage").value(false))
        .andExpect(jsonPath("$.stt.provider").value("deepgram"))
        .andExpect(jsonPath("$.stt.model").value("nova-3"))
        .andExpect(jsonPath("$.llm.provider").value("xai"))
        .andExpect(jsonPath("$.llm.temperature").value(0.7))
        .andExpect(jsonPath("$.recording.enabled").value(true))
        .andExpect(jsonPath("$.recording.channels").value("mono"))
        .andExpect(jsonPath("$.amd.mode").value("enable"))
        .andExpect(jsonPath("$.amd.async").value(true))
        .andExpect(jsonPath("$.turnTaking.endpointingMs").value(300))
        .andExpect(jsonPath("$.turnTaking.utteranceEndMs").value(1000))
        .andExpect(jsonPath("$.turnTaking.bargeInMinWords").value(2))
        .andExpect(jsonPath("$.turnTaking.bargeInMinSpeechMs").value(300))
        .andExpect(jsonPath("$.backgroundAmbience").value(false))
        .andExpect(jsonPath("$.maxCallDurationSeconds").value(1800))
        .andExpect(jsonPath("$.tools").isEmpty())
        .andExpect(jsonPath("$.status.numberSync").value("none"))
        .andExpect(jsonPath("$.status.unconfiguredProviders[0]").value("llm:xai"));
  }

  @Test
  void listsAgentsPageByPage() throws Exception {
    for (int i = 0; i < 3; i++) {
      ObjectNode agent = minimalAgent();
      agent.put("name", "Agent " + i);
      create(agent).andExpect(status().isCreated());
    }

    mvc.perform(get("/api/agents").param("size", "2").with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.total").value(3))
        .andExpect(jsonPath("$.page").value(0))
        .andExpect(jsonPath("$.size").value(2))
        .andExpect(jsonPath("$.items.length()").value(2))
        .andExpect(jsonPath("$.items[0].name").value("Agent 0"));
    mvc.perform(get("/api/agents").param("page", "1").param("size", "2").with(as("VIEWER")))
        .andExpect(jsonPath("$.items.length()").value(1))
        .andExpect(jsonPath("$.items[0].name").value("Agent 2"));
  }

  @Test
  void updatesWithTheCurrentVersionAndRefusesAStaleOne() throws Exception {
    JsonNode created = body(create(agent("+14155550123")));
    String id = created.get("id").asString();
    // A client may send back what it read, with its changes.
    ObjectNode edit = (ObjectNode) created.deepCopy();
    edit.put("greeting", "Hello again");
    edit.put("promptVersion", "latest");

    mvc.perform(
            put("/api/agents/" + id)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(edit.toString()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.version").value(2))
        .andExpect(jsonPath("$.greeting").value("Hello again"))
        .andExpect(jsonPath("$.promptVersion").value("latest"));

    mvc.perform(
            put("/api/agents/" + id)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(edit.toString()))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(startsWith("The agent was changed by someone else")));

    assertThat(audits())
        .extracting(AuditEvent::action)
        .containsExactly("agent.created", "agent.updated");
    assertThat(audits().getLast().details())
        .containsEntry("version", 2)
        .containsEntry("changed", List.of("promptVersion", "greeting"));
    UUID agentId = UUID.fromString(id);
    assertThat(events.stream(AgentEvent.AgentSaved.class))
        .containsExactly(
            new AgentEvent.AgentSaved(Organisations.DEFAULT_ID, agentId, 1, "+14155550123", null),
            new AgentEvent.AgentSaved(
                Organisations.DEFAULT_ID, agentId, 2, "+14155550123", "+14155550123"));
  }

  @Test
  void deletesSoftlyAndFreesTheNumber() throws Exception {
    String id = body(create(agent("+14155550123"))).get("id").asString();

    mvc.perform(delete("/api/agents/" + id).with(as("SUPERVISOR")))
        .andExpect(status().isNoContent());

    mvc.perform(get("/api/agents/" + id).with(as("VIEWER"))).andExpect(status().isNotFound());
    mvc.perform(get("/api/agents").with(as("VIEWER"))).andExpect(jsonPath("$.total").value(0));
    assertThat(
            jdbc.sql(
                    "SELECT COUNT(*) FROM agent WHERE deleted_at IS NOT NULL AND twilio_number IS NULL")
                .query(Integer.class)
                .single())
        .isEqualTo(1);
    create(agent("+14155550123")).andExpect(status().isCreated());
    assertThat(audits())
        .extracting(AuditEvent::action)
        .containsExactly("agent.created", "agent.deleted", "agent.created");
    assertThat(audits().get(1).details()).containsEntry("releasedNumber", "+14155550123");
    assertThat(events.stream(AgentEvent.AgentDeleted.class))
        .containsExactly(
            new AgentEvent.AgentDeleted(
                Organisations.DEFAULT_ID, UUID.fromString(id), "+14155550123"));
  }

  @Test
  void viewersMayReadButNotWrite() throws Exception {
    String id = body(create(agent(null))).get("id").asString();
    events.clear();

    create(agent(null), "VIEWER").andExpect(status().isForbidden());
    mvc.perform(
            put("/api/agents/" + id)
                .with(as("VIEWER"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(withVersion(agent(null), 1)))
        .andExpect(status().isForbidden());
    mvc.perform(delete("/api/agents/" + id).with(as("VIEWER"))).andExpect(status().isForbidden());
    mvc.perform(delete("/api/agents/" + id).with(as("OPERATOR"))).andExpect(status().isForbidden());

    mvc.perform(get("/api/agents/" + id).with(as("VIEWER"))).andExpect(status().isOk());
    mvc.perform(get("/api/agents").with(as("VIEWER"))).andExpect(jsonPath("$.total").value(1));
    assertThat(audits()).isEmpty();
  }

  @Test
  void anonymousCallersAreTurnedAway() throws Exception {
    mvc.perform(get("/api/agents")).andExpect(status().isUnauthorized());
    mvc.perform(
            post("/api/agents")
                .contentType(MediaType.APPLICATION_JSON)
                .content(agent(null).toString()))
        .andExpect(status().isUnauthorized());
  }

  @Test
  void badInputOnEveryEndpointIsAClearProblem() throws Exception {
    String id = body(create(agent(null))).get("id").asString();
    String missing = UUID.randomUUID().toString();
    events.clear();

    // POST
    mvc.perform(
            post("/api/agents")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": "))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.title").value("Malformed request body"));
    mvc.perform(
            post("/api/agents")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("[]"))
        .andExpect(status().isBadRequest());
    create(MAPPER.createObjectNode())
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.name").exists())
        .andExpect(jsonPath("$.errors.promptId").exists())
        .andExpect(jsonPath("$.errors.greeting").exists())
        .andExpect(jsonPath("$.errors.voice").exists())
        .andExpect(jsonPath("$.errors.llm").exists());
    // GET list
    mvc.perform(get("/api/agents").param("page", "-1").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.page").exists());
    mvc.perform(get("/api/agents").param("size", "500").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.size").exists());
    mvc.perform(get("/api/agents").param("size", "many").with(as("VIEWER")))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors.size").exists());
    // GET one
    mvc.perform(get("/api/agents/not-a-uuid").with(as("VIEWER")))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors.id").exists());
    mvc.perform(get("/api/agents/" + missing).with(as("VIEWER"))).andExpect(status().isNotFound());
    // PUT
    mvc.perform(
            put("/api/agents/" + id)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(agent(null).toString()))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.version").exists());
    mvc.perform(
            put("/api/agents/" + id)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(agent(null).put("version", "one").toString()))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.version").exists());
    mvc.perform(
            put("/api/agents/" + missing)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(withVersion(agent(null), 1)))
        .andExpect(status().isNotFound());
    mvc.perform(
            put("/api/agents/" + id)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(withVersion(agent(null).put("name", ""), 1)))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.name").exists());
    mvc.perform(
            put("/api/agents/x")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(withVersion(agent(null), 1)))
        .andExpect(status().isBadRequest());
    // DELETE
    mvc.perform(delete("/api/agents/not-a-uuid").with(as("SUPERVISOR")))
        .andExpect(status().isBadRequest());
    mvc.perform(delete("/api/agents/" + missing).with(as("SUPERVISOR")))
        .andExpect(status().isNotFound());

    mvc.perform(get("/api/agents/" + id).with(as("VIEWER")))
        .andExpect(jsonPath("$.version").value(1));
    assertThat(audits()).isEmpty();
  }

  @Test
  void theApiDocumentDescribesTheAgentBody() throws Exception {
    mvc.perform(get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.components.schemas.AgentConfig.properties.twilioNumber").exists())
        .andExpect(
            jsonPath(
                    "$.paths['/api/agents'].post.requestBody.content['application/json'].schema.$ref")
                .value("#/components/schemas/AgentConfig"));
  }

  private ResultActions create(ObjectNode agent) throws Exception {
    return create(agent, "OPERATOR");
  }

  private ResultActions create(ObjectNode agent, String role) throws Exception {
    return mvc.perform(
        post("/api/agents")
            .with(as(role))
            .contentType(MediaType.APPLICATION_JSON)
            .content(agent.toString()));
  }

  private static String withVersion(ObjectNode agent, int version) {
    return agent.put("version", version).toString();
  }

  private static JsonNode body(ResultActions result) throws Exception {
    return MAPPER.readTree(result.andReturn().getResponse().getContentAsString());
  }

  private List<AuditEvent> audits() {
    return events.stream(AuditEvent.class).toList();
  }
}
