package io.parley.calls;

import static io.parley.calls.CallFixtures.AGENT;
import static io.parley.calls.CallFixtures.OTHER_AGENT;
import static io.parley.calls.CallFixtures.USER;
import static io.parley.calls.CallFixtures.as;
import static io.parley.calls.CallFixtures.outbound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GET /api/calls with every filter, every sort column both ways, pages, the transcript search
 * (wildcards taken literally, case folded, accents kept) and the CSV export (formula-safe, audited,
 * supervisors only). Runs on whichever database the test run uses; CI runs it on both.
 */
@DbTest
class CallHistoryApiTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final UUID CAMPAIGN = UUID.fromString("66666666-6666-6666-6666-666666666666");

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired CallRecords records;

  private UUID answered;
  private UUID busy;
  private UUID inbound;
  private UUID campaign;

  /**
   * Four calls: an answered outbound call with a recording and a transcript full of wildcard
   * characters; a busy call of the other agent; an inbound call in Hindi and French; a campaign's
   * call still ringing, whose transcript holds near misses of the others' searches.
   */
  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    CallFixtures.createAgents(dataSource);

    answered = createdAt(outbound("+14155550001").callSid("CAanswered").build(), T0);
    records.applyStatus(answered, StatusUpdate.of(CallStatus.IN_PROGRESS, T0.plusSeconds(5)));
    records.setAnsweredBy(answered, "human");
    records.appendSegment(
        answered,
        new NewSegment(
            SegmentRole.AGENT, "Hello! Are you 100% sure_thing? a!b \\ c", 0L, 10L, false));
    records.recordRecording(
        answered, new Recording("RE1", "https://api.twilio.com/Recordings/RE1", 39));
    records.finish(answered, CallOutcome.COMPLETED, "=HYPERLINK(\"http://x\")", T0.plusSeconds(45));
    records.applyStatus(answered, new StatusUpdate(CallStatus.COMPLETED, T0.plusSeconds(45), 40));

    busy =
        createdAt(
            outbound("+14155550002").agent(OTHER_AGENT, "{\"name\": \"Zed\"}").build(),
            T0.plusSeconds(60));
    records.applyStatus(busy, new StatusUpdate(CallStatus.BUSY, T0.plusSeconds(62), 0));
    records.appendSegment(busy, new NewSegment(SegmentRole.AGENT, "1000 units", 0L, 10L, false));

    inbound =
        createdAt(
            NewCall.builder(CallDirection.INBOUND, "+919812345678", "+14155550100")
                .agent(AGENT, CallFixtures.SNAPSHOT)
                .prompt(CallFixtures.PROMPT, 2)
                .status(CallStatus.RINGING)
                .callSid("CAinbound")
                .build(),
            T0.plusSeconds(120));
    records.applyStatus(inbound, StatusUpdate.of(CallStatus.IN_PROGRESS, T0.plusSeconds(121)));
    records.appendSegment(
        inbound, new NewSegment(SegmentRole.CALLER, "नमस्ते, ÉCOLE ici", 0L, 10L, false));

    campaign =
        createdAt(
            outbound("+14155550004").lead(CAMPAIGN, UUID.randomUUID()).build(),
            T0.plusSeconds(180));
    records.applyStatus(campaign, StatusUpdate.of(CallStatus.RINGING, T0.plusSeconds(181)));
    records.appendSegment(
        campaign,
        new NewSegment(SegmentRole.AGENT, "sureXthing 1005 aXb ecole HELLO", 0L, 10L, false));
  }

  @Test
  void rowsCarryAgentPromptDurationOutcomeAndRecording() throws Exception {
    JsonNode row = list("?fromNumber=%2B14155550100&toNumber=%2B14155550001").get("items").get(0);
    assertThat(row.get("id").asString()).isEqualTo(answered.toString());
    assertThat(row.get("agentName").asString()).isEqualTo("आशा — clinic reminders");
    assertThat(row.get("promptName").asString()).isEqualTo("Reminders");
    assertThat(row.get("promptVersion").asInt()).isEqualTo(1);
    assertThat(row.get("durationSeconds").asInt()).isEqualTo(40);
    assertThat(row.get("outcome").asString()).isEqualTo("completed");
    assertThat(row.get("answeredBy").asString()).isEqualTo("human");
    assertThat(row.get("hasRecording").asBoolean()).isTrue();
    JsonNode other = list("?agentId=" + OTHER_AGENT).get("items").get(0);
    assertThat(other.get("hasRecording").asBoolean()).isFalse();
    assertThat(other.get("agentName").asString()).isEqualTo("Zed");
    assertThat(list("?campaignId=" + CAMPAIGN).get("items").get(0).get("campaignId").asString())
        .isEqualTo(CAMPAIGN.toString());
  }

  @Test
  void everyFilterSelectsItsCalls() throws Exception {
    assertThat(ids("?agentId=" + AGENT)).containsExactly(campaign, inbound, answered);
    assertThat(ids("?agentId=" + OTHER_AGENT)).containsExactly(busy);
    assertThat(ids("?direction=inbound")).containsExactly(inbound);
    assertThat(ids("?direction=outbound")).containsExactly(campaign, busy, answered);
    assertThat(ids("?status=in_progress")).containsExactly(inbound);
    assertThat(ids("?status=busy")).containsExactly(busy);
    assertThat(ids("?outcome=completed")).containsExactly(answered);
    assertThat(ids("?outcome=busy")).containsExactly(busy);
    assertThat(ids("?outcome=machine")).isEmpty();
    assertThat(ids("?answeredBy=human")).containsExactly(answered);
    assertThat(ids("?answeredBy=machine_start")).isEmpty();
    assertThat(ids("?campaignId=" + CAMPAIGN)).containsExactly(campaign);
    assertThat(ids("?campaignId=" + UUID.randomUUID())).isEmpty();
    assertThat(ids("?fromNumber=%2B919812345678")).containsExactly(inbound);
    assertThat(ids("?fromNumber=%2B14155550100")).containsExactly(campaign, busy, answered);
    assertThat(ids("?toNumber=%2B14155550002")).containsExactly(busy);
    assertThat(ids("?from=2026-11-25T10:01:00Z")).containsExactly(campaign, inbound, busy);
    assertThat(ids("?to=2026-11-25T10:01:00Z")).containsExactly(answered);
    assertThat(ids("?from=2026-11-25T10:01:00Z&to=2026-11-25T10:02:00Z")).containsExactly(busy);
    assertThat(ids("?hasRecording=true")).containsExactly(answered);
    assertThat(ids("?hasRecording=false")).containsExactly(campaign, inbound, busy);
    assertThat(ids("?direction=outbound&hasRecording=false&agentId=" + AGENT))
        .containsExactly(campaign);
    // Blank values are no filter.
    assertThat(ids("?status=&q=&sort=")).containsExactly(campaign, inbound, busy, answered);
  }

  @Test
  void theTranscriptSearchIsALiteralCaseInsensitiveSubstring() throws Exception {
    assertThat(search("hello")).containsExactly(campaign, answered);
    assertThat(search("HeLLo!")).containsExactly(answered);
    // The wildcards and the escape character match only themselves.
    assertThat(search("100%")).containsExactly(answered);
    assertThat(search("100")).containsExactly(campaign, busy, answered);
    assertThat(search("sure_thing")).containsExactly(answered);
    assertThat(search("a!b")).containsExactly(answered);
    assertThat(search("%%%")).isEmpty();
    assertThat(search("___")).isEmpty();
    assertThat(search("b \\ c")).containsExactly(answered);
    // Any script; accents are kept (é is not e) and case is folded beyond ASCII.
    assertThat(search("नमस्ते")).containsExactly(inbound);
    assertThat(search("école")).containsExactly(inbound);
    assertThat(search("ecole")).containsExactly(campaign);
    // Combined with the other filters.
    assertThat(ids("?q=hello&agentId=" + AGENT + "&hasRecording=true")).containsExactly(answered);
  }

  @Test
  void everyColumnSortsBothWaysWithEmptyValuesLast() throws Exception {
    assertThat(ids("?sort=createdAt")).containsExactly(answered, busy, inbound, campaign);
    assertThat(ids("?sort=-createdAt")).containsExactly(campaign, inbound, busy, answered);
    assertThat(ids("?sort=durationSeconds").subList(0, 2)).containsExactly(busy, answered);
    assertThat(ids("?sort=-durationSeconds").subList(0, 2)).containsExactly(answered, busy);
    assertThat(ids("?sort=to")).containsExactly(answered, busy, campaign, inbound);
    assertThat(ids("?sort=-to")).containsExactly(inbound, campaign, busy, answered);
    // Latin sorts before Devanagari in every collation (and in bytes).
    assertThat(ids("?sort=agentName").getFirst()).isEqualTo(busy);
    assertThat(ids("?sort=-agentName").getLast()).isEqualTo(busy);
    assertThat(ids("?sort=-hasRecording").getFirst()).isEqualTo(answered);
    assertThat(ids("?sort=hasRecording").getLast()).isEqualTo(answered);
    assertThat(ids("?sort=answeredBy").getFirst()).isEqualTo(answered);
    assertThat(ids("?sort=-answeredBy").getFirst()).isEqualTo(answered);
    assertThat(ids("?sort=-promptVersion").getFirst()).isEqualTo(inbound);
    assertThat(ids("?sort=status")).containsExactly(busy, answered, inbound, campaign);
    for (String column : CallSort.COLUMNS.keySet()) {
      for (String sort : List.of(column, "-" + column)) {
        assertThat(ids("?sort=" + sort))
            .as(sort)
            .containsExactlyInAnyOrder(answered, busy, inbound, campaign);
      }
    }
  }

  @Test
  void pagesOfAnOrderWithTiesNeitherOverlapNorSkip() throws Exception {
    List<UUID> all = new ArrayList<>(List.of(answered, busy, inbound, campaign));
    for (int i = 0; i < 6; i++) {
      all.add(createdAt(outbound("+1415555100" + i).build(), T0.plusSeconds(300)));
    }
    for (String sort : List.of("status", "-status", "createdAt", "-outcome", "hasRecording")) {
      List<UUID> seen = new ArrayList<>();
      for (int page = 0; page < 4; page++) {
        JsonNode body = list("?size=3&page=" + page + "&sort=" + sort);
        assertThat(body.get("total").asLong()).isEqualTo(10);
        seen.addAll(ids(body));
      }
      assertThat(seen).as(sort).hasSize(10);
      assertThat(new HashSet<>(seen)).as(sort).containsExactlyInAnyOrderElementsOf(all);
    }
  }

  @Test
  void badValuesAreRefusedNamingEachParameter() throws Exception {
    mvc.perform(
            get("/api/calls?agentId=x&direction=up&status=done&outcome=won&answeredBy=Human!"
                    + "&campaignId=42&from=today&to=later&hasRecording=yes&q=ab&sort=price"
                    + "&page=-1&size=201")
                .with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.agentId").exists())
        .andExpect(jsonPath("$.errors.direction").exists())
        .andExpect(jsonPath("$.errors.status").exists())
        .andExpect(jsonPath("$.errors.outcome").exists())
        .andExpect(jsonPath("$.errors.answeredBy").exists())
        .andExpect(jsonPath("$.errors.campaignId").exists())
        .andExpect(jsonPath("$.errors.from").exists())
        .andExpect(jsonPath("$.errors.to").exists())
        .andExpect(jsonPath("$.errors.hasRecording").value("must be true or false"))
        .andExpect(jsonPath("$.errors.q").value("must be at least 3 characters"))
        .andExpect(jsonPath("$.errors.sort").exists())
        .andExpect(jsonPath("$.errors.page").exists())
        .andExpect(jsonPath("$.errors.size").exists());
    mvc.perform(get(uri("/api/calls?q=%20%20ab%20")).with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.q").exists());
    mvc.perform(get("/api/calls?q=" + "x".repeat(201)).with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.q").exists());
    mvc.perform(get("/api/calls?toNumber=" + "1".repeat(65)).with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.toNumber").exists());
    mvc.perform(get(uri("/api/calls?fromNumber=%2B1%0A2")).with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.fromNumber").exists());
  }

  @Test
  void theCsvIsTheSameQueryFormulaSafeAuditedAndForSupervisorsOnly() throws Exception {
    MvcResult result =
        mvc.perform(
                get("/api/calls/export.csv?direction=outbound&sort=createdAt")
                    .with(as("SUPERVISOR")))
            .andExpect(status().isOk())
            .andReturn();
    assertThat(result.getResponse().getContentType()).startsWith("text/csv");
    assertThat(result.getResponse().getHeader("Content-Disposition")).contains("calls.csv");
    String csv = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
    List<String> lines = csv.lines().toList();
    assertThat(lines.getFirst()).isEqualTo(String.join(",", CallExporter.HEADER));
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).startsWith(answered + ",2026-11-25T10:00:00Z,outbound,");
    assertThat(lines.get(2)).startsWith(busy.toString());
    assertThat(lines.get(3)).startsWith(campaign.toString());
    // Numbers and the formula in the reason are neutralised; the reason's quotes are doubled.
    assertThat(lines.get(1))
        .contains(",'+14155550100,'+14155550001,")
        .contains(",Reminders,1,")
        .contains(",completed,\"'=HYPERLINK(\"\"http://x\"\")\",")
        .contains(",40,true")
        // Not analysed: the analysis columns are empty.
        .endsWith("true,,,,,,,,");
    assertThat(csv).contains("\r\n");

    List<String> details =
        jdbc.sql("SELECT details FROM audit_log WHERE action = 'calls.exported' AND actor_id = :u")
            .param("u", USER)
            .query(String.class)
            .list();
    assertThat(details).hasSize(1);
    JsonNode audited = MAPPER.readTree(details.getFirst());
    assertThat(audited.get("direction").asString()).isEqualTo("outbound");

    String searched =
        mvc.perform(get("/api/calls/export.csv?q=sure_thing").with(as("ADMIN")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    assertThat(searched.lines().skip(1).toList())
        .singleElement()
        .asString()
        .startsWith(answered.toString());

    mvc.perform(get("/api/calls/export.csv").with(as("VIEWER"))).andExpect(status().isForbidden());
    mvc.perform(get("/api/calls/export.csv").with(as("OPERATOR")))
        .andExpect(status().isForbidden());
    mvc.perform(get("/api/calls/export.csv")).andExpect(status().isUnauthorized());
    mvc.perform(get("/api/calls/export.csv?q=ab").with(as("SUPERVISOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.q").exists());
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'calls.exported'")
                .query(Long.class)
                .single())
        .isEqualTo(2);
  }

  /** As written: MockMvc's template form would encode the escapes' own percent signs again. */
  private static URI uri(String text) {
    return URI.create(text);
  }

  @Test
  void theApiDescriptionListsEveryQueryParameter() throws Exception {
    String spec =
        mvc.perform(get("/v3/api-docs"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    JsonNode doc = MAPPER.readTree(spec);
    for (String path : List.of("/api/calls", "/api/calls/export.csv")) {
      List<String> names =
          doc.get("paths")
              .get(path)
              .get("get")
              .get("parameters")
              .valueStream()
              .map(p -> p.get("name").asString())
              .toList();
      assertThat(names)
          .as(path)
          .contains(
              "agentId",
              "direction",
              "status",
              "outcome",
              "answeredBy",
              "campaignId",
              "fromNumber",
              "toNumber",
              "from",
              "to",
              "hasRecording",
              "q",
              "sort",
              "page",
              "size");
    }
  }

  private List<UUID> search(String text) throws Exception {
    // %20 rather than +: MockMvc does not read + in a query as a space, as a server does.
    return ids("?q=" + URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
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
        mvc.perform(get(uri("/api/calls" + query)).with(as("VIEWER")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    return MAPPER.readTree(body);
  }

  private List<UUID> ids(String query) throws Exception {
    return ids(list(query));
  }

  private static List<UUID> ids(JsonNode page) {
    return page.get("items")
        .valueStream()
        .map(n -> UUID.fromString(n.get("id").asString()))
        .toList();
  }
}
