package io.parley.agents;

import static io.parley.agents.AgentFixtures.MAPPER;
import static io.parley.agents.AgentFixtures.PROMPT;
import static io.parley.agents.AgentFixtures.agent;
import static io.parley.agents.AgentFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.shared.Organisations;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@DbTest
class AgentDirectoryTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired AgentDirectory directory;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    AgentFixtures.createPrompts(dataSource);
  }

  @Test
  void aSnapshotTakenBeforeAnUpdateIsUnchangedAfterIt() throws Exception {
    UUID id = create(agent("+14155550123"));

    AgentSnapshot before = directory.snapshot(Organisations.DEFAULT_ID, id).orElseThrow();
    String jsonBefore = before.configJson();
    AgentConfig configBefore = before.config();

    ObjectNode edit = agent("+14155550199");
    edit.put("greeting", "Changed greeting");
    edit.put("promptVersion", "latest");
    ((ObjectNode) edit.get("llm")).put("temperature", 1.5);
    ((ObjectNode) edit.at("/tools/1/schema")).put("additionalProperties", false);
    edit.put("version", 1);
    mvc.perform(
            put("/api/agents/" + id)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(edit.toString()))
        .andExpect(status().isOk());

    assertThat(before.configJson()).isEqualTo(jsonBefore);
    assertThat(before.config()).isEqualTo(configBefore);
    assertThat(before.agentVersion()).isEqualTo(1);
    assertThat(before.promptVersion()).isEqualTo(1);
    assertThat(before.config().greeting()).isEqualTo("नमस्ते! This is Asha from City Clinic.");
    assertThat(before.config().twilioNumber()).isEqualTo("+14155550123");
    assertThat(before.config().llm().temperature()).isEqualTo(0.4);
    JsonNode frozen = MAPPER.readTree(before.configJson());
    assertThat(frozen.get("greeting").asString())
        .isEqualTo("नमस्ते! This is Asha from City Clinic.");
    assertThat(frozen.at("/tools/1/schema").has("additionalProperties")).isFalse();

    AgentSnapshot after = directory.snapshot(Organisations.DEFAULT_ID, id).orElseThrow();
    assertThat(after.agentVersion()).isEqualTo(2);
    assertThat(after.promptVersion()).isNull();
    assertThat(after.config().greeting()).isEqualTo("Changed greeting");
    assertThat(
            MAPPER
                .readTree(after.configJson())
                .at("/tools/1/schema/additionalProperties")
                .asBoolean())
        .isFalse();
    assertThat(MAPPER.readTree(after.configJson()).has("additionalProperties")).isFalse();
  }

  @Test
  void aSnapshotCannotBeChangedThroughItsSchema() throws Exception {
    UUID id = create(agent(null));
    AgentSnapshot snapshot = directory.snapshot(Organisations.DEFAULT_ID, id).orElseThrow();
    ToolConfig.RecordAnswer answer = (ToolConfig.RecordAnswer) snapshot.config().tools().get(1);

    ((ObjectNode) answer.schema()).put("type", "string");

    assertThat(answer.schema().get("type").asString()).isEqualTo("object");
  }

  @Test
  void snapshotCarriesTheWholeConfiguration() throws Exception {
    UUID id = create(agent("+14155550123"));

    AgentSnapshot snapshot = directory.snapshot(Organisations.DEFAULT_ID, id).orElseThrow();

    assertThat(snapshot.agentId()).isEqualTo(id);
    assertThat(snapshot.organisationId()).isEqualTo(Organisations.DEFAULT_ID);
    assertThat(snapshot.promptId()).isEqualTo(PROMPT);
    JsonNode json = MAPPER.readTree(snapshot.configJson());
    assertThat(json.get("name").asString()).isEqualTo("Clinic reminders");
    assertThat(json.get("promptId").asString()).isEqualTo(PROMPT.toString());
    assertThat(json.get("twilioNumber").asString()).isEqualTo("+14155550123");
    assertThat(json.at("/voice/provider").asString()).isEqualTo("elevenlabs");
    assertThat(json.at("/fallbackVoice/provider").asString()).isEqualTo("deepgram");
    assertThat(json.at("/amd/silenceTimeoutMs").asInt()).isEqualTo(5000);
    assertThat(json.at("/tools/0/type").asString()).isEqualTo("end_call");
    assertThat(snapshot.config().tools().get(0)).isInstanceOf(ToolConfig.EndCall.class);
  }

  @Test
  void findsTheAgentThatAnswersANumber() throws Exception {
    UUID id = create(agent("+14155550123"));

    assertThat(directory.findByNumber("+14155550123"))
        .hasValueSatisfying(s -> assertThat(s.agentId()).isEqualTo(id));
    assertThat(directory.findByNumber("+14155550124")).isEmpty();
    assertThat(directory.findByNumber(null)).isEmpty();

    mvc.perform(delete("/api/agents/" + id).with(as("SUPERVISOR")))
        .andExpect(status().isNoContent());
    assertThat(directory.findByNumber("+14155550123")).isEmpty();
    assertThat(directory.snapshot(Organisations.DEFAULT_ID, id)).isEmpty();
  }

  @Test
  void knowsNothingOfOtherOrganisationsOrUnknownAgents() throws Exception {
    UUID id = create(agent(null));

    assertThat(directory.snapshot(UUID.randomUUID(), id)).isEmpty();
    assertThat(directory.snapshot(Organisations.DEFAULT_ID, UUID.randomUUID())).isEmpty();
  }

  private UUID create(ObjectNode agent) throws Exception {
    String body =
        mvc.perform(
                post("/api/agents")
                    .with(as("OPERATOR"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(agent.toString()))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return UUID.fromString(MAPPER.readTree(body).get("id").asString());
  }
}
