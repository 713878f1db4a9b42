package io.parley.calls;

import static io.parley.calls.CallFixtures.AGENT;
import static io.parley.calls.CallFixtures.OTHER_AGENT;
import static io.parley.calls.CallFixtures.as;
import static io.parley.calls.CallFixtures.outbound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** GET /api/calls and GET /api/calls/{id}: filters, paging, details, bad input, roles. */
@DbTest
class CallApiTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired CallRecords records;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    CallFixtures.createAgents(dataSource);
  }

  @Test
  void listsNewestFirstInPages() throws Exception {
    UUID first = createdAt(outbound("+14155550001").build(), T0);
    UUID second = createdAt(outbound("+14155550002").build(), T0.plusSeconds(60));
    UUID third = createdAt(outbound("+14155550003").build(), T0.plusSeconds(120));

    JsonNode page0 = list("?size=2");
    assertThat(ids(page0)).containsExactly(third, second);
    assertThat(page0.get("total").asLong()).isEqualTo(3);
    assertThat(page0.get("size").asInt()).isEqualTo(2);
    assertThat(ids(list("?size=2&page=1"))).containsExactly(first);
    assertThat(page0.get("items").get(0).get("agentName").asString())
        .isEqualTo("आशा — clinic reminders");
    assertThat(page0.get("items").get(0).get("status").asString()).isEqualTo("queued");
  }

  @Test
  void filtersByAgentStatusDirectionAndTime() throws Exception {
    UUID early = createdAt(outbound("+14155550001").build(), T0);
    UUID otherAgent =
        createdAt(outbound("+14155550002").agent(OTHER_AGENT, null).build(), T0.plusSeconds(60));
    UUID inbound =
        createdAt(
            NewCall.builder(CallDirection.INBOUND, "+919812345678", "+14155550100")
                .agent(AGENT, null)
                .status(CallStatus.RINGING)
                .callSid("CAin1")
                .build(),
            T0.plusSeconds(120));
    records.applyStatus(inbound, StatusUpdate.of(CallStatus.IN_PROGRESS, T0.plusSeconds(125)));

    assertThat(ids(list("?agentId=" + OTHER_AGENT))).containsExactly(otherAgent);
    assertThat(ids(list("?agentId=" + AGENT))).containsExactly(inbound, early);
    assertThat(ids(list("?status=in_progress"))).containsExactly(inbound);
    assertThat(ids(list("?direction=outbound"))).containsExactly(otherAgent, early);
    assertThat(ids(list("?from=2026-11-25T10:01:00Z"))).containsExactly(inbound, otherAgent);
    assertThat(ids(list("?to=2026-11-25T10:01:00Z"))).containsExactly(early);
    assertThat(ids(list("?from=2026-11-25T10:00:30Z&to=2026-11-25T10:01:30Z&direction=outbound")))
        .containsExactly(otherAgent);
    assertThat(ids(list("?status=busy"))).isEmpty();
  }

  @Test
  void badFiltersAreRefusedNamingEachParameter() throws Exception {
    mvc.perform(
            get("/api/calls?agentId=nope&status=ringingg&direction=sideways&from=yesterday&to=2026-13-01")
                .with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.agentId").exists())
        .andExpect(jsonPath("$.errors.status").exists())
        .andExpect(jsonPath("$.errors.direction").value("must be inbound or outbound"))
        .andExpect(jsonPath("$.errors.from").exists())
        .andExpect(jsonPath("$.errors.to").exists());
    mvc.perform(
            get("/api/calls?from=2026-11-25T11:00:00Z&to=2026-11-25T10:00:00Z").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.to").value("must be after from"));
    mvc.perform(get("/api/calls?size=500").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.size").exists());
    mvc.perform(get("/api/calls?page=-1").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.page").exists());
    mvc.perform(get("/api/calls?page=first").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.page").value("must be a whole number"));
  }

  @Test
  void showsACallWithItsTranscriptToolsAndTurnsInOrder() throws Exception {
    UUID id = records.create(outbound("+919812345678").idempotencyKey("lead-42").build()).id();
    records.attachCallSid(id, "CAdetail");
    records.applyStatus(id, StatusUpdate.of(CallStatus.IN_PROGRESS, T0));
    records.appendSegment(
        id, new NewSegment(SegmentRole.AGENT, "नमस्ते प्रिया जी!", 0L, 1800L, false));
    records.appendSegment(
        id, new NewSegment(SegmentRole.CALLER, "हाँ, बोलिए", 2100L, 2900L, false));
    records.appendSegment(
        id, new NewSegment(SegmentRole.AGENT, "आपका अपॉइंटमेंट", 3300L, 3900L, true));
    records.appendToolInvocation(
        id,
        new NewToolInvocation(
            "record_answer",
            "call_9",
            "{\"confirmed\": true}",
            "{\"ok\": true}",
            ToolStatus.OK,
            T0.plusSeconds(4),
            12L));
    records.appendTurn(
        id,
        new TurnTimings(
            T0.plusMillis(2900),
            T0.plusMillis(3000),
            T0.plusMillis(3010),
            T0.plusMillis(3300),
            T0.plusMillis(3350),
            T0.plusMillis(3550),
            T0.plusMillis(3560),
            true));
    records.recordAnswer(id, "{\"confirmed\": true}");
    records.finish(id, CallOutcome.COMPLETED, "end_call: goodbye", T0.plusSeconds(40));

    mvc.perform(get("/api/calls/" + id).with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.id").value(id.toString()))
        .andExpect(jsonPath("$.twilioCallSid").value("CAdetail"))
        .andExpect(jsonPath("$.status").value("in_progress"))
        .andExpect(jsonPath("$.outcome").value("completed"))
        .andExpect(jsonPath("$.outcomeReason").value("end_call: goodbye"))
        .andExpect(jsonPath("$.direction").value("outbound"))
        .andExpect(jsonPath("$.idempotencyKey").value("lead-42"))
        .andExpect(jsonPath("$.durationSeconds").value(40))
        .andExpect(jsonPath("$.agentSnapshot.language").value("hi-IN"))
        .andExpect(jsonPath("$.leadVariables.first_name").value("Priya"))
        .andExpect(jsonPath("$.extractedData.confirmed").value(true))
        .andExpect(jsonPath("$.transcript.length()").value(3))
        .andExpect(jsonPath("$.transcript[0].seq").value(1))
        .andExpect(jsonPath("$.transcript[0].role").value("agent"))
        .andExpect(jsonPath("$.transcript[0].text").value("नमस्ते प्रिया जी!"))
        .andExpect(jsonPath("$.transcript[1].role").value("caller"))
        .andExpect(jsonPath("$.transcript[1].startMs").value(2100))
        .andExpect(jsonPath("$.transcript[2].interrupted").value(true))
        .andExpect(jsonPath("$.toolInvocations[0].toolName").value("record_answer"))
        .andExpect(jsonPath("$.toolInvocations[0].arguments.confirmed").value(true))
        .andExpect(jsonPath("$.toolInvocations[0].status").value("ok"))
        .andExpect(jsonPath("$.turns[0].turn").value(1))
        .andExpect(jsonPath("$.turns[0].voiceToVoiceMs").value(660))
        .andExpect(jsonPath("$.turns[0].llmFirstTokenMs").value(290))
        .andExpect(jsonPath("$.turns[0].interrupted").value(true));
  }

  @Test
  void unknownOrMalformedIdsAndMissingRolesAreRefused() throws Exception {
    mvc.perform(get("/api/calls/" + UUID.randomUUID()).with(as("VIEWER")))
        .andExpect(status().isNotFound());
    mvc.perform(get("/api/calls/not-a-uuid").with(as("VIEWER"))).andExpect(status().isBadRequest());
    mvc.perform(get("/api/calls")).andExpect(status().isUnauthorized());
    mvc.perform(get("/api/calls").with(as("NOBODY"))).andExpect(status().isForbidden());
  }

  /** Creates the call and moves its creation time, so ordering and time filters are exact. */
  private UUID createdAt(NewCall call, Instant createdAt) {
    UUID id = records.create(call).id();
    jdbc.sql("UPDATE call_record SET created_at = :at WHERE id = :id")
        .param("at", Timestamp.from(createdAt))
        .param("id", id)
        .update();
    return id;
  }

  private JsonNode list(String query) throws Exception {
    String body =
        mvc.perform(get("/api/calls" + query).with(as("VIEWER")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
    return MAPPER.readTree(body);
  }

  private static List<UUID> ids(JsonNode page) {
    return page.get("items")
        .valueStream()
        .map(n -> UUID.fromString(n.get("id").asString()))
        .toList();
  }
}
