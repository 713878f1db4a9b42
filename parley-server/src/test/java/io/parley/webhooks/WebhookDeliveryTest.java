package io.parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import io.parley.calls.CallAnalysis;
import io.parley.calls.CallRecords;
import io.parley.campaigns.CampaignEvent;
import io.parley.campaigns.CampaignStatus;
import io.parley.shared.Organisations;
import io.parley.sms.MessageEvent;
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import io.parley.webhooks.WebhookReceiver.Received;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end on the real database: endpoints registered through the API, call and campaign
 * events written to the outbox in their transactions and delivered by the job poller to a receiver
 * on loopback (the test setting), signed; retries, refused redirects, addresses checked again at
 * delivery, and an endpoint failing for 24 hours disabled with an audit entry.
 */
@DbTest
@TestPropertySource(properties = "parley.webhooks.retry-backoff=1s")
class WebhookDeliveryTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired CallRecords records;
  @Autowired ApplicationEventPublisher events;
  @Autowired PlatformTransactionManager transactions;

  private final JsonMapper json = JsonMapper.builder().build();
  private Accounts accounts;
  private Accounts.Session admin;
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
    admin = accounts.firstAdmin();
    WebhookCalls.createAgent(dataSource);
    receiver = new WebhookReceiver();
  }

  @AfterEach
  void tearDown() {
    receiver.close();
  }

  @Test
  void theSecretIsShownOnceAndOnlyAdministratorsManageEndpoints() throws Exception {
    JsonNode created = register(receiver.url("/hooks"), List.of("call.ended", "campaign.*"));
    assertThat(created.get("secret").asString()).startsWith("whsec_").hasSize(49);
    assertThat(created.get("enabled").asBoolean()).isTrue();
    String id = created.get("id").asString();
    mvc.perform(get("/api/webhooks/" + id).with(admin.bearer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.secret").doesNotExist())
        .andExpect(jsonPath("$.eventTypes[1]").value("campaign.*"));
    mvc.perform(get("/api/webhooks").with(admin.bearer()))
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].secret").doesNotExist());
    Accounts.Session notAdmin = accounts.user(Role.SUPERVISOR);
    mvc.perform(get("/api/webhooks").with(notAdmin.bearer())).andExpect(status().isForbidden());
    mvc.perform(
            post("/api/webhooks")
                .with(notAdmin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"url\":\"https://example.com/\",\"eventTypes\":[\"call.ended\"]}"))
        .andExpect(status().isForbidden());
    String rotated =
        mvc.perform(post("/api/webhooks/" + id + "/secret").with(admin.bearer()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(json.readTree(rotated).get("secret").asString())
        .startsWith("whsec_")
        .isNotEqualTo(created.get("secret").asString());
    assertThat(
            jdbc.sql("SELECT action FROM audit_log WHERE target_id = ? ORDER BY occurred_at")
                .param(id)
                .query(String.class)
                .list())
        .containsExactly("webhook.created", "webhook.secret_rotated");
    assertThat(
            jdbc.sql("SELECT details FROM audit_log WHERE target_id = ?")
                .param(id)
                .query(String.class)
                .list())
        .noneMatch(details -> details.contains("whsec_"));
  }

  @Test
  void refusesPrivateAndMetadataTargetsAndUnknownEventTypes() throws Exception {
    refused("https://10.0.0.1/hook", List.of("call.ended"), "url", "10.0.0.1, a private address");
    refused(
        "https://169.254.169.254/latest/meta-data/",
        List.of("call.ended"),
        "url",
        "169.254.169.254, a link-local address");
    refused("https://[::ffff:10.0.0.1]/", List.of("call.ended"), "url", "private address");
    refused("ftp://example.com/", List.of("call.ended"), "url", "https://");
    refused(receiver.url("/hooks"), List.of("call.ringing"), "eventTypes", "call.ringing");
    refused(receiver.url("/hooks"), List.of(), "eventTypes", "at least one");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM webhook_endpoint").query(Long.class).single())
        .isZero();
  }

  @Test
  void aCallArrivesSignedAsCallStartedThenCallEndedWithItsOutcome() throws Exception {
    JsonNode endpoint = register(receiver.url("/hooks"), List.of("call.started", "call.ended"));
    String secret = endpoint.get("secret").asString();

    UUID call = WebhookCalls.answeredCall(records);
    WebhookCalls.end(records, call);

    await().atMost(WAIT).until(() -> receiver.received.size() >= 2);
    List<JsonNode> bodies = bodies(receiver.received);
    JsonNode started = byType(bodies, "call.started");
    JsonNode ended = byType(bodies, "call.ended");
    assertThat(started.get("sequence").asLong()).isEqualTo(1);
    assertThat(ended.get("sequence").asLong()).isEqualTo(2);
    assertThat(ended.get("data").get("callId").asString()).isEqualTo(call.toString());
    assertThat(ended.get("data").get("status").asString()).isEqualTo("completed");
    assertThat(ended.get("data").get("outcome").asString()).isEqualTo("completed");
    assertThat(ended.get("data").get("durationSeconds").asInt()).isEqualTo(42);
    assertThat(ended.get("createdAt").asString()).isNotBlank();
    for (Received request : receiver.received) {
      assertThat(WebhookReceiver.verify(secret, request)).isTrue();
      JsonNode body = json.readTree(request.body());
      assertThat(request.header("Parley-Event-Id")).isEqualTo(body.get("id").asString());
      assertThat(request.header("Parley-Event-Type")).isEqualTo(body.get("type").asString());
      assertThat(request.header("Content-Type")).isEqualTo("application/json");
    }
    // A signature made with another secret does not verify.
    assertThat(WebhookReceiver.verify("whsec_" + "x".repeat(43), receiver.received.getFirst()))
        .isFalse();

    await().atMost(WAIT).until(() -> log(endpoint).size() == 2);
    for (JsonNode line : log(endpoint)) {
      assertThat(line.get("statusCode").asInt()).isEqualTo(200);
      assertThat(line.get("attempt").asInt()).isEqualTo(1);
      assertThat(line.get("deliveryStatus").asString()).isEqualTo("delivered");
      assertThat(line.has("durationMs")).isTrue();
    }
    // Delivered once each: nothing more arrives.
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> receiver.received.size() == 2);
  }

  @Test
  void aFailedAttemptIsRetriedWithBackoffAndLogged() throws Exception {
    receiver.answer(500);
    JsonNode endpoint = register(receiver.url("/hooks"), List.of("call.ended"));
    UUID call = WebhookCalls.answeredCall(records);
    WebhookCalls.end(records, call);

    await().atMost(WAIT).until(() -> log(endpoint).size() == 2);
    List<JsonNode> lines = log(endpoint);
    // Newest first.
    assertThat(lines.get(1).get("attempt").asInt()).isEqualTo(1);
    assertThat(lines.get(1).get("statusCode").asInt()).isEqualTo(500);
    assertThat(lines.get(1).get("error").asString()).contains("500");
    assertThat(lines.get(0).get("attempt").asInt()).isEqualTo(2);
    assertThat(lines.get(0).get("statusCode").asInt()).isEqualTo(200);
    assertThat(lines.get(0).get("deliveryStatus").asString()).isEqualTo("delivered");
    assertThat(receiver.received).hasSize(2);
    assertThat(receiver.received.get(0).body()).isEqualTo(receiver.received.get(1).body());
    // The success ended the endpoint's failure streak.
    mvc.perform(get("/api/webhooks/" + endpoint.get("id").asString()).with(admin.bearer()))
        .andExpect(jsonPath("$.failingSince").doesNotExist());
  }

  @Test
  void redirectsAreRefusedNotFollowed() throws Exception {
    receiver.answer(302, 302, 302).redirectTo(receiver.url("/elsewhere"));
    JsonNode endpoint = register(receiver.url("/hooks"), List.of("call.ended"));
    UUID call = WebhookCalls.answeredCall(records);
    WebhookCalls.end(records, call);

    await().atMost(WAIT).until(() -> !log(endpoint).isEmpty());
    JsonNode first = log(endpoint).getLast();
    assertThat(first.get("statusCode").asInt()).isEqualTo(302);
    assertThat(first.get("error").asString()).contains("redirect refused");
    assertThat(receiver.at("/elsewhere")).isEmpty();
  }

  @Test
  void theAddressIsCheckedAgainAtDelivery() throws Exception {
    JsonNode endpoint = register(receiver.url("/hooks"), List.of("call.ended"));
    // As if the endpoint's name now resolved to the metadata service.
    jdbc.sql("UPDATE webhook_endpoint SET url = ?")
        .param("https://169.254.169.254/latest/meta-data/")
        .update();
    UUID call = WebhookCalls.answeredCall(records);
    WebhookCalls.end(records, call);

    await().atMost(WAIT).until(() -> !log(endpoint).isEmpty());
    JsonNode first = log(endpoint).getLast();
    assertThat(first.get("statusCode")).isNull();
    assertThat(first.get("error").asString())
        .startsWith("refused:")
        .contains("169.254.169.254, a link-local address");
    assertThat(first.get("deliveryStatus").asString()).isEqualTo("pending");
  }

  @Test
  void anEndpointFailingFor24HoursIsDisabledWithAnAuditEntry() throws Exception {
    receiver.answer(503, 503, 503);
    JsonNode endpoint = register(receiver.url("/hooks"), List.of("call.ended"));
    String id = endpoint.get("id").asString();
    jdbc.sql("UPDATE webhook_endpoint SET failing_since = ?")
        .param(Timestamp.from(Instant.now().minus(Duration.ofHours(25))))
        .update();
    UUID call = WebhookCalls.answeredCall(records);
    WebhookCalls.end(records, call);

    await()
        .atMost(WAIT)
        .until(
            () ->
                !jdbc.sql("SELECT enabled FROM webhook_endpoint WHERE id = ?")
                    .param(UUID.fromString(id))
                    .query(Boolean.class)
                    .single());
    mvc.perform(get("/api/webhooks/" + id).with(admin.bearer()))
        .andExpect(jsonPath("$.enabled").value(false))
        .andExpect(
            jsonPath("$.disabledReason").value(org.hamcrest.Matchers.containsString("failed")));
    assertThat(
            jdbc.sql(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'webhook.endpoint_disabled' AND"
                        + " target_id = ?")
                .param(id)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    // The retry already scheduled is cancelled rather than sent to a disabled endpoint.
    await()
        .atMost(WAIT)
        .until(
            () ->
                jdbc.sql("SELECT status FROM webhook_delivery")
                    .query(String.class)
                    .single()
                    .equals("cancelled"));
    assertThat(receiver.received).hasSize(1);

    // An administrator enables it again: the streak starts over.
    mvc.perform(
            put("/api/webhooks/" + id)
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    json.writeValueAsString(
                        Map.of(
                            "url",
                            receiver.url("/hooks"),
                            "eventTypes",
                            List.of("call.ended"),
                            "enabled",
                            true))))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.enabled").value(true))
        .andExpect(jsonPath("$.failingSince").doesNotExist())
        .andExpect(jsonPath("$.disabledReason").doesNotExist());
  }

  @Test
  void campaignEventsReachCampaignWildcardSubscribers() throws Exception {
    JsonNode endpoint = register(receiver.url("/hooks"), List.of("campaign.*"));
    UUID campaign = UUID.randomUUID();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              events.publishEvent(
                  new CampaignEvent.StatusChanged(
                      Organisations.DEFAULT_ID,
                      campaign,
                      "Spring reminders",
                      CampaignStatus.DRAFT,
                      CampaignStatus.RUNNING,
                      null,
                      at));
              events.publishEvent(
                  new CampaignEvent.StatusChanged(
                      Organisations.DEFAULT_ID,
                      campaign,
                      "Spring reminders",
                      CampaignStatus.RUNNING,
                      CampaignStatus.PAUSED,
                      "the drop rate reached 3%",
                      at));
            });
    // Rolled back with its transaction: nothing is sent.
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              events.publishEvent(
                  new CampaignEvent.StatusChanged(
                      Organisations.DEFAULT_ID,
                      campaign,
                      "Spring reminders",
                      CampaignStatus.PAUSED,
                      CampaignStatus.CANCELLED,
                      null,
                      at));
              status.setRollbackOnly();
            });

    await().atMost(WAIT).until(() -> log(endpoint).size() == 2);
    List<JsonNode> bodies = bodies(receiver.received);
    assertThat(bodies)
        .extracting(b -> b.get("type").asString())
        .containsExactlyInAnyOrder("campaign.started", "campaign.paused");
    JsonNode paused = byType(bodies, "campaign.paused");
    assertThat(paused.get("sequence").asLong()).isEqualTo(2);
    assertThat(paused.get("data").get("reason").asString()).contains("drop rate");
    assertThat(paused.get("data").get("previousStatus").asString()).isEqualTo("running");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM webhook_event").query(Long.class).single())
        .isEqualTo(2);
  }

  @Test
  void aStoredAnalysisArrivesAsCallAnalyzedOnce() throws Exception {
    JsonNode endpoint = register(receiver.url("/hooks"), List.of("call.analyzed"));
    UUID call = WebhookCalls.answeredCall(records);
    WebhookCalls.end(records, call);
    CallAnalysis analysis =
        new CallAnalysis(
            CallAnalysis.Status.DONE,
            "The caller booked a table for four on Friday.",
            "booking",
            "positive",
            "{\"partySize\": 4}",
            null,
            "xai",
            "grok-4-fast-non-reasoning",
            420,
            60,
            1,
            null);
    assertThat(records.recordAnalysis(call, analysis)).isTrue();
    assertThat(records.recordAnalysis(call, analysis)).isFalse();

    await().atMost(WAIT).until(() -> log(endpoint).size() == 1);
    JsonNode analyzed = byType(bodies(receiver.received), "call.analyzed");
    JsonNode data = analyzed.get("data");
    assertThat(data.get("callId").asString()).isEqualTo(call.toString());
    assertThat(data.get("status").asString()).isEqualTo("done");
    assertThat(data.get("category").asString()).isEqualTo("booking");
    assertThat(data.get("fields").get("partySize").asInt()).isEqualTo(4);
    assertThat(data.get("promptTokens").asLong()).isEqualTo(420);
    // call.started and call.ended were not subscribed: the analysis is the call's first event.
    assertThat(analyzed.get("sequence").asLong()).isEqualTo(1);
  }

  @Test
  void textMessagesArriveAsMessageReceivedAndMessageStatus() throws Exception {
    JsonNode endpoint =
        register(receiver.url("/hooks"), List.of("message.received", "message.status"));
    UUID inbound = UUID.randomUUID();
    UUID outbound = UUID.randomUUID();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              events.publishEvent(
                  new MessageEvent.MessageReceived(
                      Organisations.DEFAULT_ID,
                      inbound,
                      "SM1",
                      "+14155550199",
                      "+14155550100",
                      "Can you call me back tomorrow?",
                      at));
              events.publishEvent(
                  new MessageEvent.MessageStatusChanged(
                      Organisations.DEFAULT_ID, outbound, "SM2", "sent", null, at));
              events.publishEvent(
                  new MessageEvent.MessageStatusChanged(
                      Organisations.DEFAULT_ID, outbound, "SM2", "undelivered", 30003, at));
            });

    await().atMost(WAIT).until(() -> log(endpoint).size() == 3);
    List<JsonNode> bodies = bodies(receiver.received);
    JsonNode received = byType(bodies, "message.received");
    assertThat(received.get("data").get("from").asString()).isEqualTo("+14155550199");
    assertThat(received.get("data").get("body").asString()).contains("call me back");
    assertThat(received.get("sequence").asLong()).isEqualTo(1);
    JsonNode undelivered =
        bodies.stream()
            .filter(b -> b.get("type").asString().equals("message.status"))
            .filter(b -> b.get("data").get("status").asString().equals("undelivered"))
            .findFirst()
            .orElseThrow();
    assertThat(undelivered.get("data").get("errorCode").asInt()).isEqualTo(30003);
    assertThat(undelivered.get("sequence").asLong()).isEqualTo(2);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private JsonNode register(String url, List<String> types) throws Exception {
    String body =
        mvc.perform(
                post("/api/webhooks")
                    .with(admin.bearer())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(json.writeValueAsString(Map.of("url", url, "eventTypes", types))))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return json.readTree(body);
  }

  private void refused(String url, List<String> types, String field, String message)
      throws Exception {
    mvc.perform(
            post("/api/webhooks")
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("url", url, "eventTypes", types))))
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            jsonPath("$.errors." + field).value(org.hamcrest.Matchers.containsString(message)));
  }

  private List<JsonNode> log(JsonNode endpoint) throws Exception {
    String body =
        mvc.perform(
                get("/api/webhooks/" + endpoint.get("id").asString() + "/deliveries")
                    .with(admin.bearer()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    List<JsonNode> items = new java.util.ArrayList<>();
    json.readTree(body).get("items").forEach(items::add);
    return items;
  }

  private List<JsonNode> bodies(List<Received> requests) {
    return requests.stream().map(r -> json.readTree(r.body())).toList();
  }

  private static JsonNode byType(List<JsonNode> bodies, String type) {
    return bodies.stream()
        .filter(b -> b.get("type").asString().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " in " + bodies));
  }
}
