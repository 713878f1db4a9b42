package io.parley.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.auth.Role;
import io.parley.calls.CallDirection;
import io.parley.calls.CallRecords;
import io.parley.calls.NewCall;
import io.parley.compliance.DncEntry;
import io.parley.compliance.DncSource;
import io.parley.compliance.DoNotCallList;
import io.parley.shared.Organisations;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.http.Params;
import io.parley.sim.twilio.SimMessage;
import io.parley.sim.twilio.TwilioConfig;
import io.parley.sim.twilio.TwilioSignature;
import io.parley.support.Accounts;
import io.parley.support.Callees;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Text messages end to end: Parley listens on a real port and is called over HTTP (so the API
 * request's own URL is the base Twilio calls back, and the agent's number sync points the number's
 * SMS URL there), sends through the Twilio simulator, and the simulator's signed status callbacks
 * and inbound texts come back to it.
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class SmsTest {

  private static final String AGENT_NUMBER = "+14155550142";
  // Recipients the calling window allows now by their own zone, and one where it is night.
  private static final String PERSON = Callees.daytime(41);
  private static final String OPTING_OUT = Callees.daytime(42);
  private static final String LISTED_BY_HAND = Callees.daytime(43);
  private static final String UNSUBSCRIBED = Callees.daytime(44);
  private static final String ASKING_HELP = Callees.daytime(45);
  private static final String UNREACHABLE = Callees.daytime(46);
  private static final String SLEEPING = Callees.atNight(47);
  private static final String HELP_TEXT = "Acme Dental: call +14155550100. Reply STOP to opt out.";
  private static final UUID PROMPT = UUID.fromString("18181818-1818-1818-1818-181818181818");
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @AutoClose
  private static final Sim SIM =
      Sim.start(
          SimConfig.defaults()
              .withTwilio(
                  SimTwilio.owning(AGENT_NUMBER)
                      .withDestinations(
                          Map.of(
                              UNSUBSCRIBED,
                              TwilioConfig.Destination.sms(TwilioConfig.SmsOutcome.OPTED_OUT),
                              UNREACHABLE,
                              TwilioConfig.Destination.sms(TwilioConfig.SmsOutcome.UNDELIVERED)))));

  @DynamicPropertySource
  static void providers(DynamicPropertyRegistry registry) {
    io.parley.support.SimProviders.twilio(registry, SIM);
    registry.add("parley.sms.help-text", () -> HELP_TEXT);
  }

  /** Every message event, in the order published. */
  @TestConfiguration
  static class Events {
    final List<MessageEvent> seen = new CopyOnWriteArrayList<>();

    @EventListener
    void on(MessageEvent event) {
      seen.add(event);
    }
  }

  @LocalServerPort int port;
  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired DoNotCallList dnc;
  @Autowired CallRecords calls;
  @Autowired Events events;

  private final HttpClient http = HttpClient.newHttpClient();
  private Accounts.Session operator;
  private String agentId;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    events.seen.clear();
    SIM.twilio().optOutHandling(AGENT_NUMBER, true);
    Accounts accounts = new Accounts(mvc);
    operator = accounts.user(Role.OPERATOR);
    PromptRows.insert(dataSource, PROMPT, "Reminders", "You remind people.", operator.userId());
    HttpResponse<String> created =
        send(
            "POST",
            "/api/agents",
            """
            {"name": "Reminders", "promptId": "%s", "greeting": "Hello!",
             "voice": {"provider": "elevenlabs", "voiceId": "v1"},
             "llm": {"model": "grok-3-mini"}, "twilioNumber": "%s"}
            """
                .formatted(PROMPT, AGENT_NUMBER));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    agentId = json(created).get("id").asString();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                json(send("GET", "/api/agents/" + agentId, null))
                    .path("status")
                    .path("numberSync")
                    .asString()
                    .equals("synced"));
  }

  /** Waits for what a test sent to settle, so its callbacks do not reach the next test. */
  @AfterEach
  void settle() {
    SIM.faults().clear();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                SIM.twilio().messages().stream()
                    .noneMatch(
                        m ->
                            List.of("queued", "accepted", "sending", "sent").contains(m.status())));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(method, path, body, null);
  }

  private HttpResponse<String> send(String method, String path, String body, String key)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Authorization", operator.authorization());
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> text(String to, String body) throws Exception {
    return send(
        "POST",
        "/api/messages",
        """
        {"agentId": "%s", "to": "%s", "body": "%s"}
        """
            .formatted(agentId, to, body));
  }

  private static JsonNode json(HttpResponse<String> response) {
    return MAPPER.readTree(response.body());
  }

  private JsonNode message(String id) throws Exception {
    HttpResponse<String> response = send("GET", "/api/messages/" + id, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private List<String> statusEvents(UUID messageId) {
    return events.seen.stream()
        .filter(e -> e instanceof MessageEvent.MessageStatusChanged)
        .map(e -> (MessageEvent.MessageStatusChanged) e)
        .filter(e -> e.messageId().equals(messageId))
        .map(MessageEvent.MessageStatusChanged::status)
        .toList();
  }

  private Optional<DncEntry> listed(String number) {
    return dnc.find(Organisations.DEFAULT_ID, number);
  }

  private long rows(String sql, Object... params) {
    return JdbcClient.create(dataSource).sql(sql).params(params).query(Long.class).single();
  }

  // ---- sending --------------------------------------------------------------------------------

  @Test
  void aTextIsSentFromTheAgentsNumberAndFollowedToDelivered() throws Exception {
    HttpResponse<String> response = text(PERSON, "Your visit is tomorrow at 10.");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode sent = json(response);
    String id = sent.get("id").asString();
    assertThat(response.headers().firstValue("Location")).contains("/api/messages/" + id);
    assertThat(sent.get("direction").asString()).isEqualTo("outbound");
    assertThat(sent.get("from").asString()).isEqualTo(AGENT_NUMBER);
    assertThat(sent.get("to").asString()).isEqualTo(PERSON);
    assertThat(sent.get("agentId").asString()).isEqualTo(agentId);
    assertThat(sent.get("status").asString()).isEqualTo("queued");
    assertThat(sent.get("createdBy").get("userId").asString())
        .isEqualTo(operator.userId().toString());
    String sid = sent.get("twilioSid").asString();
    SimMessage atTwilio = SIM.twilio().message(sid);
    assertThat(atTwilio.from()).isEqualTo(AGENT_NUMBER);
    assertThat(atTwilio.body()).isEqualTo("Your visit is tomorrow at 10.");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> message(id).get("status").asString().equals("delivered"));
    assertThat(message(id).get("numSegments").asInt()).isEqualTo(1);
    assertThat(statusEvents(UUID.fromString(id)))
        .containsExactly("queued", "sending", "sent", "delivered");
    assertThat(
            rows("SELECT COUNT(*) FROM audit_log WHERE action = 'sms.sent' AND target_id = ?", id))
        .isEqualTo(1);
  }

  @Test
  void aRetriedSendWithTheSameIdempotencyKeyTextsOnce() throws Exception {
    String body =
        "{\"agentId\": \""
            + agentId
            + "\", \"to\": \""
            + PERSON
            + "\", \"body\": \"See you at 10.\"}";
    HttpResponse<String> first = send("POST", "/api/messages", body, "visit-7");
    HttpResponse<String> retry = send("POST", "/api/messages", body, "visit-7");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(json(retry).get("id").asString()).isEqualTo(json(first).get("id").asString());
    assertThat(json(first).get("idempotencyKey").asString()).isEqualTo("visit-7");
    assertThat(SIM.twilio().messages())
        .filteredOn(m -> m.body().equals("See you at 10."))
        .hasSize(1);
    HttpResponse<String> other =
        send("POST", "/api/messages", body.replace("10.", "11."), "visit-7");
    assertThat(other.statusCode()).isEqualTo(409);
    assertThat(send("POST", "/api/messages", body, "with space").statusCode()).isEqualTo(422);
  }

  @Test
  void anUndeliveredTextKeepsTwiliosErrorCode() throws Exception {
    String id = json(text(UNREACHABLE, "Are you there?")).get("id").asString();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> message(id).get("status").asString().equals("undelivered"));
    JsonNode lost = message(id);
    assertThat(lost.get("errorCode").asInt()).isEqualTo(30003);
    assertThat(lost.get("errorMessage").asString()).isEqualTo("Unreachable destination handset");
    MessageEvent.MessageStatusChanged last =
        (MessageEvent.MessageStatusChanged) events.seen.getLast();
    assertThat(last.status()).isEqualTo("undelivered");
    assertThat(last.errorCode()).isEqualTo(30003);
  }

  @Test
  void duplicatedCallbacksChangeNothingTwice() throws Exception {
    SIM.faults().set(Faults.Target.TWILIO, new Fault.DuplicateCallbacks());
    String id = json(text(PERSON, "Twice?")).get("id").asString();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> message(id).get("status").asString().equals("delivered"));
    assertThat(SIM.faults().injectedCount(Faults.Target.TWILIO)).isPositive();
    assertThat(statusEvents(UUID.fromString(id)))
        .containsExactly("queued", "sending", "sent", "delivered");
  }

  @Test
  void twilioRefusingTheRequestFailsTheMessage() throws Exception {
    SIM.faults().next(Faults.Target.TWILIO, 1, new Fault.ErrorStatus(429, Duration.ZERO));

    HttpResponse<String> response = text(PERSON, "Busy?");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
    JsonNode failed = message(json(response).get("messageId").asString());
    assertThat(failed.get("status").asString()).isEqualTo("failed");
    assertThat(failed.get("errorCode").asInt()).isEqualTo(20429);
    assertThat(listed(PERSON)).isEmpty();
  }

  @Test
  void quietHoursInTheRecipientsZoneRefuseTheText() throws Exception {
    HttpResponse<String> response = text(SLEEPING, "Good night");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    JsonNode problem = json(response);
    assertThat(problem.get("title").asString()).isEqualTo("Outside the calling window");
    assertThat(problem.get("errors").get("to").asString()).isNotBlank();
    assertThat(problem.get("nextAllowedAt").asString()).isNotBlank();
    assertThat(rows("SELECT COUNT(*) FROM sms_message")).isZero();
    assertThat(SIM.twilio().messages()).noneMatch(m -> m.to().equals(SLEEPING));
  }

  @Test
  void aBadRequestNamesEveryBadField() throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/api/messages",
            """
            {"agentId": "nope", "to": "555", "body": " ", "colour": "red"}
            """);
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(json(response).get("errors").propertyNames())
        .containsExactlyInAnyOrder("agentId", "to", "body", "colour");
    String tooLong = "x".repeat(1601);
    assertThat(text(PERSON, tooLong).statusCode()).isEqualTo(422);
  }

  // ---- keywords -------------------------------------------------------------------------------

  @Test
  void stopPutsTheSenderOnTheListWithoutASecondConfirmationAndStartTakesItOff() throws Exception {
    SimMessage stop = SIM.sendSms(OPTING_OUT, AGENT_NUMBER, "Stop");

    assertThat(stop.webhook().status()).isEqualTo(200);
    // Twilio confirmed the opt-out itself; Parley adds nothing.
    assertThat(stop.autoReplies()).hasSize(1);
    assertThat(stop.replies()).isEmpty();
    assertThat(stop.errors()).isEmpty();
    DncEntry entry = listed(OPTING_OUT).orElseThrow();
    assertThat(entry.source()).isEqualTo(DncSource.OPT_OUT_SMS);
    assertThat(entry.reason()).contains("Stop").contains(AGENT_NUMBER);
    JsonNode stored =
        json(send("GET", "/api/messages?number=%2B" + OPTING_OUT.substring(1), null))
            .get("items")
            .get(0);
    assertThat(stored.get("direction").asString()).isEqualTo("inbound");
    assertThat(stored.get("status").asString()).isEqualTo("received");
    assertThat(stored.get("keyword").asString()).isEqualTo("opt_out");
    assertThat(stored.get("twilioSid").asString()).isEqualTo(stop.sid());
    MessageEvent.MessageReceived received = (MessageEvent.MessageReceived) events.seen.getFirst();
    assertThat(received.sid()).isEqualTo(stop.sid());
    assertThat(received.from()).isEqualTo(OPTING_OUT);
    assertThat(received.body()).isEqualTo("Stop");

    // A later text is refused by the gate, before Twilio is asked.
    HttpResponse<String> refused = text(OPTING_OUT, "One more thing");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(json(refused).get("title").asString()).isEqualTo("On the do-not-call list");

    SimMessage start = SIM.sendSms(OPTING_OUT, AGENT_NUMBER, "START");
    assertThat(start.replies()).isEmpty();
    assertThat(listed(OPTING_OUT)).isEmpty();
    assertThat(
            rows(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'dnc.removed' AND target_id = ?"
                    + " AND actor_id IS NULL",
                entry.id().toString()))
        .isEqualTo(1);
    HttpResponse<String> again = text(OPTING_OUT, "Welcome back");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
  }

  @Test
  void startDoesNotLiftAnEntryAPersonMade() throws Exception {
    HttpResponse<String> added =
        send("POST", "/api/dnc", "{\"phoneNumber\": \"" + LISTED_BY_HAND + "\"}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);

    SIM.sendSms(LISTED_BY_HAND, AGENT_NUMBER, "unstop");

    assertThat(listed(LISTED_BY_HAND))
        .get()
        .extracting(DncEntry::source)
        .isEqualTo(DncSource.MANUAL);
    assertThat(text(LISTED_BY_HAND, "hello").statusCode()).isEqualTo(409);
  }

  @Test
  void aKeywordMustBeTheWholeMessage() throws Exception {
    SimMessage in = SIM.sendSms(PERSON, AGENT_NUMBER, "Please don't stop the reminders");
    assertThat(in.webhook().status()).isEqualTo(200);
    assertThat(listed(PERSON)).isEmpty();
    assertThat(
            json(send("GET", "/api/messages?direction=inbound", null))
                .get("items")
                .get(0)
                .has("keyword"))
        .isFalse();
  }

  @Test
  void helpIsAnsweredWithTheConfiguredTextWhoseStatusIsFollowed() throws Exception {
    SimMessage help = SIM.sendSms(ASKING_HELP, AGENT_NUMBER, " help ");

    SimMessage reply = help.replies().getFirst();
    assertThat(reply.body()).isEqualTo(HELP_TEXT);
    assertThat(reply.to()).isEqualTo(ASKING_HELP);
    assertThat(reply.from()).isEqualTo(AGENT_NUMBER);
    JsonNode stored =
        json(
            send(
                "GET",
                "/api/messages?direction=outbound&number=%2B" + ASKING_HELP.substring(1),
                null));
    assertThat(stored.get("total").asLong()).isEqualTo(1);
    String id = stored.get("items").get(0).get("id").asString();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> message(id).get("status").asString().equals("delivered"));
    JsonNode answer = message(id);
    assertThat(answer.get("twilioSid").asString()).isEqualTo(reply.sid());
    assertThat(answer.get("body").asString()).isEqualTo(HELP_TEXT);
    assertThat(answer.get("replyTo").asString()).isNotBlank();
  }

  @Test
  void withTwiliosHandlingOffAConfirmationIsSentOnlyWhenConfigured() throws Exception {
    SIM.twilio().optOutHandling(AGENT_NUMBER, false);
    SimMessage stop = SIM.sendSms(OPTING_OUT, AGENT_NUMBER, "QUIT");
    // No PARLEY_SMS_OPT_OUT_REPLY in this test: nobody confirms, but the number is listed.
    assertThat(stop.autoReplies()).isEmpty();
    assertThat(stop.replies()).isEmpty();
    assertThat(listed(OPTING_OUT)).isPresent();
  }

  // ---- the carrier's opt-out ------------------------------------------------------------------

  @Test
  void twilioError21610PutsTheRecipientOnTheList() throws Exception {
    assertThat(listed(UNSUBSCRIBED)).isEmpty();

    HttpResponse<String> response = text(UNSUBSCRIBED, "Hello");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    JsonNode problem = json(response);
    assertThat(problem.get("title").asString()).isEqualTo("Recipient unsubscribed");
    assertThat(problem.get("errorCode").asInt()).isEqualTo(21610);
    JsonNode failed = message(problem.get("messageId").asString());
    assertThat(failed.get("status").asString()).isEqualTo("failed");
    assertThat(failed.get("errorCode").asInt()).isEqualTo(21610);
    assertThat(failed.has("twilioSid")).isFalse();
    DncEntry entry = listed(UNSUBSCRIBED).orElseThrow();
    assertThat(entry.source()).isEqualTo(DncSource.OPT_OUT_SMS);
    assertThat(entry.reason()).contains("21610");
    assertThat(text(UNSUBSCRIBED, "Hello?").statusCode()).isEqualTo(409);
  }

  @Test
  void aStopTwilioKeptWhileParleyMissedItIsLearnedFrom21610() throws Exception {
    // The number texted STOP, and Parley's list lost it (say, removed by hand since).
    SIM.sendSms(PERSON, AGENT_NUMBER, "STOP");
    JdbcClient.create(dataSource).sql("DELETE FROM do_not_call").update();
    assertThat(SIM.twilio().optedOut(AGENT_NUMBER, PERSON)).isTrue();

    assertThat(text(PERSON, "Hi again").statusCode()).isEqualTo(409);
    assertThat(listed(PERSON)).get().extracting(DncEntry::source).isEqualTo(DncSource.OPT_OUT_SMS);
    SIM.sendSms(PERSON, AGENT_NUMBER, "START");
  }

  // ---- webhooks -------------------------------------------------------------------------------

  @Test
  void aForgedSmsWebhookIsRefused() throws Exception {
    Map<String, String> params =
        Map.of(
            "MessageSid",
            "SM" + "f".repeat(32),
            "AccountSid",
            SIM.twilio().accountSid(),
            "From",
            PERSON,
            "To",
            AGENT_NUMBER,
            "Body",
            "STOP");
    String forged =
        TwilioSignature.sign("not-the-auth-token", base() + "/twilio/sms", Params.of(params));

    for (String path : List.of("/twilio/sms", "/twilio/sms-status")) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base() + path))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("X-Twilio-Signature", forged)
                  .POST(HttpRequest.BodyPublishers.ofString(form(params)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(403);
    }
    assertThat(rows("SELECT COUNT(*) FROM sms_message")).isZero();
    assertThat(listed(PERSON)).isEmpty();
  }

  @Test
  void aRetriedInboundWebhookIsStoredOnce() throws Exception {
    Map<String, String> params =
        Map.of(
            "MessageSid",
            "SM" + "a".repeat(32),
            "AccountSid",
            SIM.twilio().accountSid(),
            "From",
            ASKING_HELP,
            "To",
            AGENT_NUMBER,
            "Body",
            "HELP",
            "NumMedia",
            "0");
    String url = base() + "/twilio/sms";
    String signature = TwilioSignature.sign(SIM.twilio().authToken(), url, Params.of(params));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Twilio-Signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(form(params)))
            .build();

    HttpResponse<String> first = http.send(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> second = http.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("<Message action=").contains("Acme Dental");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(rows("SELECT COUNT(*) FROM sms_message WHERE direction = 'inbound'")).isEqualTo(1);
    assertThat(rows("SELECT COUNT(*) FROM sms_message WHERE direction = 'outbound'")).isEqualTo(1);
    assertThat(events.seen).hasSize(1);
  }

  // ---- reading --------------------------------------------------------------------------------

  @Test
  void listsFilterAndPage() throws Exception {
    String one = json(text(PERSON, "one")).get("id").asString();
    String two = json(text(PERSON, "two")).get("id").asString();
    SIM.sendSms(PERSON, AGENT_NUMBER, "three");

    JsonNode all = json(send("GET", "/api/messages?size=2", null));
    assertThat(all.get("total").asLong()).isEqualTo(3);
    assertThat(all.get("items").size()).isEqualTo(2);
    assertThat(all.get("items").get(0).get("body").asString()).isEqualTo("three");
    JsonNode outbound = json(send("GET", "/api/messages?direction=outbound&page=1&size=1", null));
    assertThat(outbound.get("total").asLong()).isEqualTo(2);
    assertThat(outbound.get("items").get(0).get("id").asString()).isEqualTo(one);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> message(two).get("status").asString().equals("delivered"));
    assertThat(json(send("GET", "/api/messages?status=received", null)).get("total").asLong())
        .isEqualTo(1);
    String since = java.time.Instant.now().plusSeconds(60).toString();
    assertThat(json(send("GET", "/api/messages?from=" + since, null)).get("total").asLong())
        .isZero();

    HttpResponse<String> bad =
        send("GET", "/api/messages?direction=sideways&status=lost&from=yesterday&size=0", null);
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(json(bad).get("errors").propertyNames())
        .containsExactlyInAnyOrder("direction", "status", "from", "size");
    assertThat(send("GET", "/api/messages/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);
  }

  @Test
  void theConversationHasTheTextsAndCallsWithTheNumberInTimeOrder() throws Exception {
    text(PERSON, "first");
    calls.create(
        NewCall.builder(CallDirection.OUTBOUND, AGENT_NUMBER, PERSON)
            .organisation(Organisations.DEFAULT_ID)
            .build());
    SIM.sendSms(PERSON, AGENT_NUMBER, "call me back?");
    text(UNREACHABLE, "someone else");

    String path = "/api/conversations/%2B" + PERSON.substring(1);
    JsonNode conversation = json(send("GET", path, null));
    assertThat(conversation.get("total").asLong()).isEqualTo(3);
    JsonNode items = conversation.get("items");
    assertThat(items.get(0).get("kind").asString()).isEqualTo("message");
    assertThat(items.get(0).get("body").asString()).isEqualTo("first");
    assertThat(items.get(1).get("kind").asString()).isEqualTo("call");
    assertThat(items.get(1).get("direction").asString()).isEqualTo("outbound");
    assertThat(items.get(1).has("body")).isFalse();
    assertThat(items.get(2).get("body").asString()).isEqualTo("call me back?");
    assertThat(items.get(2).get("direction").asString()).isEqualTo("inbound");

    JsonNode latest = json(send("GET", path + "?order=desc&size=1", null));
    assertThat(latest.get("items").get(0).get("body").asString()).isEqualTo("call me back?");
    assertThat(send("GET", path + "?order=sideways", null).statusCode()).isEqualTo(422);
  }

  private static String form(Map<String, String> params) {
    StringBuilder out = new StringBuilder();
    params.forEach(
        (name, value) -> {
          if (!out.isEmpty()) {
            out.append('&');
          }
          out.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
    return out.toString();
  }
}
