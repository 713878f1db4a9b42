package io.parley.agents;

import static io.parley.agents.AgentFixtures.MAPPER;
import static io.parley.agents.AgentFixtures.OTHER_PROMPT;
import static io.parley.agents.AgentFixtures.PROMPT;
import static io.parley.agents.AgentFixtures.agent;
import static io.parley.agents.AgentFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.shared.Organisations;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@DbTest
class AgentValidationTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    AgentFixtures.createPrompts(dataSource);
  }

  static Stream<Arguments> invalidAgents() {
    return Stream.of(
        invalid(
            "number not in E.164 form", "twilioNumber", a -> a.put("twilioNumber", "4155550123")),
        invalid(
            "number with spaces", "twilioNumber", a -> a.put("twilioNumber", "+1 415 555 0123")),
        invalid(
            "number that cannot exist", "twilioNumber", a -> a.put("twilioNumber", "+10000000000")),
        invalid("unknown prompt", "promptId", a -> a.put("promptId", UUID.randomUUID().toString())),
        invalid("prompt id not a uuid", "promptId", a -> a.put("promptId", "welcome")),
        invalid("missing pinned version", "promptVersion", a -> a.put("promptVersion", 7)),
        invalid("version zero", "promptVersion", a -> a.put("promptVersion", 0)),
        invalid(
            "version neither number nor latest",
            "promptVersion",
            a -> a.put("promptVersion", "newest")),
        invalid(
            "unknown llm provider", "llm.provider", a -> obj(a, "llm").put("provider", "openai")),
        invalid("llm key smuggled in", "llm.apiKey", a -> obj(a, "llm").put("apiKey", "sk-1")),
        invalid(
            "temperature too high", "llm.temperature", a -> obj(a, "llm").put("temperature", 2.5)),
        invalid(
            "temperature negative", "llm.temperature", a -> obj(a, "llm").put("temperature", -0.1)),
        invalid("llm without model", "llm.model", a -> obj(a, "llm").remove("model")),
        invalid(
            "unknown voice provider",
            "voice.provider",
            a -> obj(a, "voice").put("provider", "polly")),
        invalid(
            "stt provider that only speaks",
            "stt.provider",
            a -> obj(a, "stt").put("provider", "elevenlabs")),
        invalid(
            "unknown fallback provider",
            "fallbackVoice.provider",
            a -> obj(a, "fallbackVoice").put("provider", "azure")),
        invalid(
            "fallback on the same provider",
            "fallbackVoice.provider",
            a -> obj(a, "fallbackVoice").put("provider", "elevenlabs")),
        invalid("voice without voice id", "voice.voiceId", a -> obj(a, "voice").remove("voiceId")),
        invalid("language not BCP-47", "language", a -> a.put("language", "english_US")),
        invalid("time zone not IANA", "timeZone", a -> a.put("timeZone", "IST")),
        invalid(
            "recording channels",
            "recording.channels",
            a -> obj(a, "recording").put("channels", "stereo")),
        invalid("amd mode", "amd.mode", a -> obj(a, "amd").put("mode", "sometimes")),
        invalid("amd timeout", "amd.timeoutSeconds", a -> obj(a, "amd").put("timeoutSeconds", 90)),
        invalid(
            "endpointing",
            "turnTaking.endpointingMs",
            a -> obj(a, "turnTaking").put("endpointingMs", 0)),
        invalid(
            "utterance end",
            "turnTaking.utteranceEndMs",
            a -> obj(a, "turnTaking").put("utteranceEndMs", 500)),
        invalid(
            "barge-in words",
            "turnTaking.bargeInMinWords",
            a -> obj(a, "turnTaking").put("bargeInMinWords", -1)),
        invalid(
            "blank backchannel",
            "turnTaking.backchannels[1]",
            a -> ((ArrayNode) obj(a, "turnTaking").get("backchannels")).set(1, " ")),
        invalid(
            "call too long",
            "maxCallDurationSeconds",
            a -> a.put("maxCallDurationSeconds", 100000)),
        invalid("blank greeting", "greeting", a -> a.put("greeting", " ")),
        invalid(
            "misspelt setting",
            "turnTaking.endpointMs",
            a -> obj(a, "turnTaking").put("endpointMs", 200)),
        invalid("wrong type", "backgroundAmbience", a -> a.put("backgroundAmbience", "loud")),
        // Types are strict: nothing is coerced into a value the caller did not write.
        invalid("name not text", "name", a -> a.put("name", true)),
        invalid(
            "recording from a number",
            "recording.enabled",
            a -> obj(a, "recording").put("enabled", -1)),
        invalid(
            "recording from empty text",
            "recording.enabled",
            a -> obj(a, "recording").put("enabled", "")),
        invalid(
            "recording from a NUL",
            "recording.enabled",
            a -> obj(a, "recording").put("enabled", "\0")),
        invalid("amd async from a long", "amd.async", a -> obj(a, "amd").put("async", 2147483648L)),
        invalid(
            "temperature from text",
            "llm.temperature",
            a -> obj(a, "llm").put("temperature", "+1")),
        invalid(
            "duration from blank text",
            "maxCallDurationSeconds",
            a -> a.put("maxCallDurationSeconds", " ")),
        invalid(
            "duration from a fraction",
            "maxCallDurationSeconds",
            a -> a.put("maxCallDurationSeconds", 600.5)),
        // NUL cannot be stored by PostgreSQL (and must not be by MariaDB either).
        invalid("NUL in the name", "name", a -> a.put("name", "Clinic\0")),
        invalid("NUL in the greeting", "greeting", a -> a.put("greeting", "Hello\0")),
        invalid("NUL in the voice id", "voice.voiceId", a -> obj(a, "voice").put("voiceId", "a\0")),
        invalid(
            "NUL in a backchannel",
            "turnTaking.backchannels[0]",
            a -> ((ArrayNode) obj(a, "turnTaking").get("backchannels")).set(0, "ha\0n")),
        invalid(
            "NUL in a tool description",
            "tools[1].description",
            a -> tool(a, 1).put("description", "The date\0")),
        invalid(
            "NUL in a tool schema",
            "tools[1].schema.properties.date.format",
            a -> obj(obj(obj(tool(a, 1), "schema"), "properties"), "date").put("format", "\0")),
        invalid(
            "tool schema not a JSON Schema",
            "tools[1].schema",
            a -> tool(a, 1).set("schema", MAPPER.readTree("{\"type\": \"strin\"}"))),
        invalid(
            "tool schema not an object",
            "tools[1].schema",
            a -> tool(a, 1).put("schema", "a date")),
        invalid("tool without schema", "tools[1].schema", a -> tool(a, 1).remove("schema")),
        invalid("tool with a bad name", "tools[1].name", a -> tool(a, 1).put("name", "the date!")),
        invalid(
            "tool named like a fixed tool",
            "tools[1].name",
            a -> tool(a, 1).put("name", "end_call")),
        invalid("unknown tool type", "tools[0]", a -> tool(a, 0).put("type", "send_email")),
        invalid("tool without type", "tools[0]", a -> tool(a, 0).remove("type")),
        invalid(
            "same tool type twice",
            "tools[2].type",
            a -> tools(a).add(MAPPER.createObjectNode().put("type", "end_call"))),
        invalid(
            "two answers with one name", "tools[2].name", a -> tools(a).add(tool(a, 1).deepCopy())),
        invalid(
            "switch to unknown prompt",
            "tools[2].promptIds[1]",
            a ->
                tools(a)
                    .add(
                        MAPPER.readTree(
                            "{\"type\": \"switch_prompt\", \"promptIds\": [\""
                                + OTHER_PROMPT
                                + "\", \""
                                + UUID.randomUUID()
                                + "\"]}"))),
        invalid(
            "switch to nothing",
            "tools[2].promptIds",
            a -> tools(a).add(MAPPER.readTree("{\"type\": \"switch_prompt\", \"promptIds\": []}"))),
        invalid(
            "transfer to a bad number",
            "tools[2].targets[0].number",
            a ->
                tools(a)
                    .add(
                        MAPPER.readTree(
                            "{\"type\": \"transfer_call\", \"targets\": [{\"name\": \"desk\", \"number\": \"0800 123\"}]}"))),
        invalid(
            "two transfer targets with one name",
            "tools[2].targets[1].name",
            a ->
                tools(a)
                    .add(
                        MAPPER.readTree(
                            "{\"type\": \"transfer_call\", \"targets\": [{\"name\": \"Desk\", \"number\": \"+14155550100\"}, {\"name\": \"desk\", \"number\": \"sip:desk@pbx.example.com\"}]}"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidAgents")
  void rejectsWithTheFieldNamed(Consumer<ObjectNode> breakIt, String field) throws Exception {
    ObjectNode body = agent("+14155550123");
    breakIt.accept(body);

    create(body)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.title").value("Invalid input"))
        .andExpect(jsonPath("$.errors['" + field + "']").isString());
    assertThat(agentRows()).isZero();
  }

  @Test
  void reportsEveryProblemAtOnce() throws Exception {
    ObjectNode body = agent("12345");
    body.put("language", "??");
    obj(body, "llm").put("provider", "nobody");
    obj(body, "voice").put("provider", "nobody");

    create(body)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.twilioNumber").exists())
        .andExpect(jsonPath("$.errors.language").exists())
        .andExpect(jsonPath("$.errors['llm.provider']").value(containsString("known: xai")))
        .andExpect(jsonPath("$.errors['voice.provider']").exists());
  }

  @Test
  void acceptsEveryToolType() throws Exception {
    ObjectNode body = agent(null);
    tools(body)
        .add(
            MAPPER.readTree(
                "{\"type\": \"switch_prompt\", \"promptIds\": [\"" + OTHER_PROMPT + "\"]}"))
        .add(
            MAPPER.readTree(
                "{\"type\": \"transfer_call\", \"targets\": [{\"name\": \"desk\", \"number\":"
                    + " \"+14155550100\"}, {\"name\": \"pbx\", \"number\":"
                    + " \"sip:desk@pbx.example.com\"}]}"))
        .add(MAPPER.readTree("{\"type\": \"opt_out\"}"))
        .add(
            MAPPER.readTree(
                "{\"type\": \"record_answer\", \"name\": \"rating\", \"schema\": {\"type\": \"integer\"}}"));

    create(body)
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.tools.length()").value(6))
        .andExpect(jsonPath("$.tools[2].promptIds[0]").value(OTHER_PROMPT.toString()))
        .andExpect(jsonPath("$.tools[3].targets[1].number").value("sip:desk@pbx.example.com"))
        .andExpect(jsonPath("$.tools[4].description").isString())
        .andExpect(jsonPath("$.tools[5].schema.type").value("integer"));
  }

  @Test
  void aNumberAnswersOneAgentOnly() throws Exception {
    create(agent("+14155550123")).andExpect(status().isCreated());

    create(agent("+14155550123"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("+14155550123")));

    String other = body(create(agent("+14155550124"))).get("id").asString();
    mvc.perform(
            put("/api/agents/" + other)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(agent("+14155550123").put("version", 1).toString()))
        .andExpect(status().isConflict());
    // Keeping one's own number is no conflict.
    mvc.perform(
            put("/api/agents/" + other)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(agent("+14155550124").put("version", 1).toString()))
        .andExpect(status().isOk());
    assertThat(agentRows()).isEqualTo(2);
  }

  @Test
  void theDatabaseConstraintCatchesARaceTheCheckMissed() throws Exception {
    // A row that holds the number without being live stands in for a concurrent insert that the
    // service's own check could not yet see.
    jdbc.sql(
            "INSERT INTO agent (id, organisation_id, name, prompt_id, twilio_number, config,"
                + " version, created_at, updated_at, deleted_at)"
                + " VALUES (?, ?, 'ghost', ?, '+14155550123', '{}', 1, ?, ?, ?)")
        .param(UUID.randomUUID())
        .param(Organisations.DEFAULT_ID)
        .param(PROMPT)
        .param(Timestamp.from(Instant.now()))
        .param(Timestamp.from(Instant.now()))
        .param(Timestamp.from(Instant.now()))
        .update();

    create(agent("+14155550123"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("+14155550123")));
    assertThat(agentRows()).isEqualTo(1);
  }

  @Test
  void aPutIsValidatedLikeAPost() throws Exception {
    String id = body(create(agent(null))).get("id").asString();

    mvc.perform(
            put("/api/agents/" + id)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(agent("+1555").put("version", 1).toString()))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.twilioNumber").exists());
  }

  private static Arguments invalid(String name, String field, Consumer<ObjectNode> breakIt) {
    return Arguments.of(Named.of(name, breakIt), field);
  }

  private static ObjectNode obj(ObjectNode agent, String field) {
    return (ObjectNode) agent.get(field);
  }

  private static ArrayNode tools(ObjectNode agent) {
    return (ArrayNode) agent.get("tools");
  }

  private static ObjectNode tool(ObjectNode agent, int index) {
    return (ObjectNode) tools(agent).get(index);
  }

  private ResultActions create(ObjectNode agent) throws Exception {
    return mvc.perform(
        post("/api/agents")
            .with(as("OPERATOR"))
            .contentType(MediaType.APPLICATION_JSON)
            .content(agent.toString()));
  }

  private static tools.jackson.databind.JsonNode body(ResultActions result) throws Exception {
    return MAPPER.readTree(result.andReturn().getResponse().getContentAsString());
  }

  private int agentRows() {
    return jdbc.sql("SELECT COUNT(*) FROM agent").query(Integer.class).single();
  }
}
