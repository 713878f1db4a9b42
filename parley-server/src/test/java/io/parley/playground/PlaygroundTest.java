package io.parley.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.parley.auth.Role;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.llm.LlmConfig.Rule;
import io.parley.sim.llm.LlmConfig.ToolCall;
import io.parley.sim.llm.LlmConfig.ToolCallStyle;
import io.parley.sim.llm.LlmRequest;
import io.parley.support.Accounts;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import io.parley.support.PromptRows;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The prompt playground against the simulated model: a three-turn conversation with an agent whose
 * tools run dry (an answer checked against its schema, then an opt-out that ends the call), the
 * reply streamed both in the POST's response and from the ticket stream, and nothing written
 * outside the session.
 */
@DbTest
class PlaygroundTest {

  static final UUID PROMPT = UUID.fromString("44444444-4444-4444-4444-444444444444");
  static final UUID AUTHOR = UUID.fromString("55555555-5555-5555-5555-555555555555");
  static final JsonMapper JSON = JsonMapper.builder().build();

  @AutoClose
  static final Sim SIM =
      Sim.start(
          SimConfig.defaults()
              .withLlm(
                  LlmConfig.defaults()
                      .withRules(
                          List.of(
                              Rule.user("book a table", "Of course. For what time?"),
                              Rule.userToolCalls(
                                  "tomorrow at eight",
                                  ToolCallStyle.FRAGMENTS,
                                  // The first call breaks the tool's schema (party 0).
                                  new ToolCall("booking", "{\"time\":\"tonight\",\"party\":0}"),
                                  new ToolCall(
                                      "booking", "{\"time\":\"tomorrow 20:00\",\"party\":2}")),
                              Rule.tool("\"ok\":true", "You are booked for tomorrow at eight."),
                              Rule.userToolCalls(
                                  "do not call",
                                  ToolCallStyle.WHOLE,
                                  new ToolCall("opt_out", "{}")),
                              Rule.user("hello", "Hello from the bare prompt.")))));

  @DynamicPropertySource
  static void simulators(DynamicPropertyRegistry registry) {
    io.parley.support.SimProviders.all(registry, SIM);
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired PlaygroundRepository repository;

  private Accounts accounts;
  private Accounts.Session operator;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(
        dataSource,
        PROMPT,
        "Bookings",
        "You take table bookings for {{restaurant}}.",
        AUTHOR,
        "[{\"name\": \"restaurant\", \"required\": true}]");
    accounts = new Accounts(mvc);
    accounts.firstAdmin();
    operator = accounts.user(Role.OPERATOR);
  }

  private String agent() throws Exception {
    JsonNode created =
        new AgentRequests(mvc, operator.bearer())
            .create(
                """
                {"name": "Bella", "promptId": "%s", "greeting": "Hello, this is Bella's.",
                 "disclosure": "This call is with an automated assistant.",
                 "voice": {"provider": "elevenlabs", "voiceId": "v1"},
                 "llm": {"model": "grok-4-fast-non-reasoning"},
                 "tools": [
                   {"type": "record_answer", "name": "booking", "description": "Books a table",
                    "schema": {"type": "object", "required": ["time", "party"],
                      "properties": {"time": {"type": "string"},
                                     "party": {"type": "integer", "minimum": 1}}}},
                   {"type": "opt_out"}
                 ]}
                """
                    .formatted(PROMPT));
    assertThat(created.path("id").asString()).as(created.toString()).isNotEmpty();
    return created.path("id").asString();
  }

  @Test
  void aThreeTurnConversationRunsToolsDryAndEndsWhereTheCallWould() throws Exception {
    String agentId = agent();
    JsonNode session =
        create(
            "{\"agentId\":\"%s\",\"variables\":{\"restaurant\":\"Bella's\",\"phone\":\"+14155550177\"}}"
                .formatted(agentId),
            201);
    String id = session.path("id").asString();
    assertThat(session.path("systemPrompt").asString())
        .isEqualTo("You take table bookings for Bella's.");
    assertThat(session.path("tools").toString()).contains("booking").contains("opt_out");
    assertThat(session.path("transcript").get(0).path("text").asString())
        .isEqualTo("This call is with an automated assistant. Hello, this is Bella's.");

    // Turn 1: streamed in the response to the POST.
    List<Event> first = streamed(id, "I would like to book a table");
    assertThat(text(first)).isEqualTo("Of course. For what time?");
    assertThat(first.getLast().name()).isEqualTo("done");

    // Turn 2: accepted, then streamed from the ticket stream; the tool runs dry.
    JsonNode accepted =
        JSON.readTree(
            mvc.perform(
                    post("/api/playground/sessions/" + id + "/messages")
                        .with(operator.bearer())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"tomorrow at eight for two\"}"))
                .andReturn()
                .getResponse()
                .getContentAsString());
    assertThat(accepted.path("reply").asString())
        .isEqualTo("/api/playground/sessions/" + id + "/reply");
    List<Event> second = fromTicketStream(id);
    List<Event> tools = second.stream().filter(e -> e.name().equals("tool")).toList();
    assertThat(tools).hasSize(2);
    assertThat(tools.get(0).data().path("ok").asBoolean()).isFalse();
    assertThat(tools.get(0).data().path("result").path("error").asString()).contains("party");
    assertThat(tools.get(1).data().path("ok").asBoolean()).isTrue();
    assertThat(tools.get(1).data().path("dryRun").asString())
        .startsWith("would record")
        .contains("tomorrow 20:00");
    assertThat(text(second)).isEqualTo("You are booked for tomorrow at eight.");

    // Turn 3: the opt-out would end the call; nothing reaches the do-not-call list.
    List<Event> third = streamed(id, "please do not call me again");
    Event ended = third.stream().filter(e -> e.name().equals("ended")).findFirst().orElseThrow();
    assertThat(ended.data().path("outcome").asString()).isEqualTo("opted_out");
    assertThat(ended.data().path("detail").asString())
        .contains("would add +14155550177 to the do-not-call list");
    assertThat(text(third)).contains("you won't be called again");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM do_not_call").query(Integer.class).single()).isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM call_record").query(Integer.class).single()).isZero();

    // The model saw the whole conversation, tool results included, on every request.
    List<LlmRequest> requests = SIM.llm().requestsFor("playground-" + id);
    assertThat(requests).hasSize(4);
    JsonNode lastMessages = requests.getLast().body().path("messages");
    assertThat(lastMessages.toString())
        .contains("Hello, this is Bella's.")
        .contains("For what time?")
        .contains("tomorrow 20:00")
        .contains("You are booked");
    assertThat(requests.getFirst().body().path("tools").size()).isEqualTo(2);

    // The transcript is stored; the ended session takes no more messages.
    JsonNode stored = read(id, 200);
    assertThat(stored.path("ended").path("outcome").asString()).isEqualTo("opted_out");
    assertThat(stored.path("transcript").findValuesAsString("type"))
        .containsExactly(
            "assistant",
            "user",
            "assistant",
            "user",
            "assistant",
            "tool",
            "tool",
            "assistant",
            "user",
            "assistant",
            "tool",
            "assistant");
    message(id, "hello again", 409);

    // Deleting clears it.
    mvc.perform(delete("/api/playground/sessions/" + id).with(operator.bearer()))
        .andExpect(result -> assertThat(result.getResponse().getStatus()).isEqualTo(204));
    read(id, 404);
  }

  @Test
  void aPromptAndAModelWithoutAnAgentHaveNoToolsAndNoGreeting() throws Exception {
    JsonNode session =
        create(
            "{\"promptId\":\"%s\",\"provider\":\"xai\",\"model\":\"grok-3-mini\",\"variables\":{\"restaurant\":\"Luigi's\"}}"
                .formatted(PROMPT),
            201);
    String id = session.path("id").asString();
    assertThat(session.path("transcript").isEmpty()).isTrue();
    assertThat(session.path("promptVersion").asInt()).isEqualTo(1);
    assertThat(text(streamed(id, "hello"))).isEqualTo("Hello from the bare prompt.");
    LlmRequest request = SIM.llm().requestsFor("playground-" + id).getFirst();
    assertThat(request.model()).isEqualTo("grok-3-mini");
    assertThat(
            request.body().path("tools").isMissingNode() || request.body().path("tools").isEmpty())
        .isTrue();
  }

  @Test
  void badRequestsNameTheirField() throws Exception {
    String agentId = agent();
    assertThat(error(create("{}", 422), "agentId")).contains("required");
    assertThat(
            error(
                create("{\"agentId\":\"%s\",\"promptId\":\"%s\"}".formatted(agentId, PROMPT), 422),
                "promptId"))
        .contains("not both");
    assertThat(error(create("{\"promptId\":\"%s\"}".formatted(PROMPT), 422), "model"))
        .contains("required");
    assertThat(
            error(
                create(
                    "{\"promptId\":\"%s\",\"model\":\"m\",\"provider\":\"nope\"}".formatted(PROMPT),
                    422),
                "provider"))
        .contains("xai");
    // The prompt needs {{restaurant}}.
    assertThat(create("{\"agentId\":\"%s\"}".formatted(agentId), 422).path("errors").toString())
        .contains("variables.restaurant");
    assertThat(
            error(
                create(
                    "{\"agentId\":\"%s\",\"variables\":{\"restaurant\":{\"a\":1}}}"
                        .formatted(agentId),
                    422),
                "variables.restaurant"))
        .contains("text");
    assertThat(error(create("{\"agentId\":\"not-an-id\"}", 422), "agentId")).contains("UUID");

    String id =
        create("{\"agentId\":\"%s\",\"variables\":{\"restaurant\":\"R\"}}".formatted(agentId), 201)
            .path("id")
            .asString();
    assertThat(error(message(id, " ", 422), "text")).contains("required");
    assertThat(error(message(id, "x".repeat(4001), 422), "text")).contains("4000");
    // No message waits: the reply stream has nothing to answer.
    String ticket = ticket(id);
    mvc.perform(get("/api/playground/sessions/" + id + "/reply").param("ticket", ticket))
        .andExpect(result -> assertThat(result.getResponse().getStatus()).isEqualTo(409));
  }

  @Test
  void sessionsArePerUserOperatorOnlyAndExpireWhenIdle() throws Exception {
    String agentId = agent();
    String id =
        create("{\"agentId\":\"%s\",\"variables\":{\"restaurant\":\"R\"}}".formatted(agentId), 201)
            .path("id")
            .asString();
    Accounts.Session other = accounts.user(Role.OPERATOR);
    mvc.perform(get("/api/playground/sessions/" + id).with(other.bearer()))
        .andExpect(result -> assertThat(result.getResponse().getStatus()).isEqualTo(404));
    mvc.perform(
            post("/api/playground/sessions/" + id + "/messages")
                .with(other.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"text\":\"hi\"}"))
        .andExpect(result -> assertThat(result.getResponse().getStatus()).isEqualTo(404));
    Accounts.Session viewer = accounts.user(Role.VIEWER);
    mvc.perform(
            post("/api/playground/sessions")
                .with(viewer.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"agentId\":\"%s\"}".formatted(agentId)))
        .andExpect(result -> assertThat(result.getResponse().getStatus()).isEqualTo(403));
    // The other operator's ticket does not open this operator's session.
    mvc.perform(get("/api/playground/sessions/" + id + "/reply").param("ticket", ticket(other, id)))
        .andExpect(result -> assertThat(result.getResponse().getStatus()).isEqualTo(404));

    // 31 minutes without use: gone for its owner, and purged.
    jdbc.sql("UPDATE playground_session SET last_used_at = :then")
        .param("then", Timestamp.from(Instant.now().minusSeconds(31 * 60)))
        .update();
    read(id, 404);
    assertThat(repository.purgeExpired()).isEqualTo(1);
    assertThat(read(null, 200).size()).isZero();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  record Event(String name, JsonNode data) {}

  private JsonNode create(String body, int status) throws Exception {
    MvcResult result =
        mvc.perform(
                post("/api/playground/sessions")
                    .with(operator.bearer())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(body))
            .andReturn();
    assertThat(result.getResponse().getStatus())
        .as(result.getResponse().getContentAsString())
        .isEqualTo(status);
    return JSON.readTree(result.getResponse().getContentAsString());
  }

  private JsonNode read(String id, int status) throws Exception {
    MvcResult result =
        mvc.perform(
                get("/api/playground/sessions" + (id == null ? "" : "/" + id))
                    .with(operator.bearer()))
            .andReturn();
    assertThat(result.getResponse().getStatus()).isEqualTo(status);
    return JSON.readTree(result.getResponse().getContentAsString());
  }

  private JsonNode message(String id, String text, int status) throws Exception {
    MvcResult result =
        mvc.perform(
                post("/api/playground/sessions/" + id + "/messages")
                    .with(operator.bearer())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(JSON.writeValueAsString(java.util.Map.of("text", text))))
            .andReturn();
    assertThat(result.getResponse().getStatus())
        .as(result.getResponse().getContentAsString())
        .isEqualTo(status);
    return JSON.readTree(result.getResponse().getContentAsString());
  }

  private static String error(JsonNode problem, String field) {
    return problem.path("errors").path(field).asString();
  }

  /** Sends a message and reads the reply streamed in the response. */
  private List<Event> streamed(String id, String text) throws Exception {
    MvcResult result =
        mvc.perform(
                post("/api/playground/sessions/" + id + "/messages")
                    .with(operator.bearer())
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(JSON.writeValueAsString(java.util.Map.of("text", text))))
            .andReturn();
    assertThat(result.getResponse().getStatus())
        .as(result.getResponse().getContentAsString())
        .isEqualTo(200);
    assertThat(result.getResponse().getContentType()).startsWith("text/event-stream");
    return events(result.getResponse().getContentAsString());
  }

  private List<Event> fromTicketStream(String id) throws Exception {
    MvcResult result =
        mvc.perform(get("/api/playground/sessions/" + id + "/reply").param("ticket", ticket(id)))
            .andReturn();
    assertThat(result.getResponse().getStatus()).isEqualTo(200);
    return events(result.getResponse().getContentAsString());
  }

  private String ticket(String id) throws Exception {
    return ticket(operator, id);
  }

  private String ticket(Accounts.Session as, String id) throws Exception {
    MvcResult result =
        mvc.perform(
                post("/api/tickets")
                    .with(as.bearer())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        "{\"purpose\":\"playground-reply\",\"sessionId\":\"%s\"}".formatted(id)))
            .andReturn();
    assertThat(result.getResponse().getStatus()).isEqualTo(201);
    return JSON.readTree(result.getResponse().getContentAsString()).path("ticket").asString();
  }

  private static List<Event> events(String body) {
    List<Event> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String name = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (name != null) {
        events.add(new Event(name, JSON.readTree(data)));
      }
    }
    return events;
  }

  private static String text(List<Event> events) {
    StringBuilder text = new StringBuilder();
    events.stream()
        .filter(e -> e.name().equals("delta"))
        .forEach(e -> text.append(e.data().path("text").asString()));
    return text.toString().strip();
  }
}
