package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import io.parley.support.Accounts;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A campaign's progress stream over real HTTP, opened as a browser's {@code EventSource} would: a
 * ticket in the query, {@code Accept: text/event-stream}, no bearer header. The campaigns stay
 * drafts (no dispatcher dials them): their lead counts change by importing leads, and cancelling
 * one ends it.
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class CampaignEventsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final UUID PROMPT = UUID.fromString("66666666-6666-6666-6666-666666666666");

  @LocalServerPort int port;
  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @MockitoSpyBean CampaignProgressSource source;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Accounts accounts;
  private Accounts.Session operator;
  private String agentId;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
    Accounts.Session admin = accounts.firstAdmin();
    operator = accounts.user(Role.OPERATOR);
    PromptRows.insert(dataSource, PROMPT, "Reminders", "You remind people.", admin.userId());
    agentId =
        new AgentRequests(mvc, admin.bearer())
            .create(
                """
                {"name": "Reminders", "promptId": "%s", "greeting": "Hello!",
                 "voice": {"provider": "elevenlabs", "voiceId": "v1"}, "llm": {"model": "grok-3-mini"}}
                """
                    .formatted(PROMPT))
            .path("id")
            .asString();
  }

  // --- helpers ---

  private JsonNode send(
      org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
      int expected)
      throws Exception {
    String answer =
        mvc.perform(request)
            .andExpect(status().is(expected))
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    return answer.isEmpty() ? null : JSON.readTree(answer);
  }

  private String campaign(String name, String... phones) throws Exception {
    String id =
        send(
                post("/api/campaigns")
                    .with(operator.bearer())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        "{\"name\": \"%s\", \"settings\": {\"purpose\": \"informational\","
                                .formatted(name)
                            + " \"agentId\": \"%s\"}}".formatted(agentId)),
                201)
            .get("id")
            .asString();
    if (phones.length > 0) {
      importLeads(id, phones);
    }
    return id;
  }

  private void importLeads(String campaignId, String... phones) throws Exception {
    send(
        post("/api/campaigns/" + campaignId + "/leads")
            .with(operator.bearer())
            .contentType(MediaType.parseMediaType("text/csv"))
            .content(
                ("phone\n" + String.join("\n", phones) + "\n").getBytes(StandardCharsets.UTF_8)),
        201);
  }

  private String ticket(Accounts.Session as, String body) throws Exception {
    return send(
            post("/api/tickets")
                .with(as.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content(body),
            201)
        .get("ticket")
        .asString();
  }

  private String ticketFor(Accounts.Session as, String campaignId) throws Exception {
    return ticket(as, "{\"purpose\":\"campaign-events\",\"campaignId\":\"" + campaignId + "\"}");
  }

  private HttpRequest.Builder events(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(java.time.Duration.ofSeconds(20))
        .header("Accept", "text/event-stream");
  }

  private HttpRequest.Builder campaignEvents(String campaignId, String ticket) {
    return events("/api/campaigns/" + campaignId + "/events?ticket=" + ticket);
  }

  /** The status only: the body (a stream, when the answer is 200) is not waited for. */
  private int statusOf(HttpRequest request) throws Exception {
    HttpResponse<java.io.InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    response.body().close();
    return response.statusCode();
  }

  /** An open stream; its {@code progress} and {@code ended} events arrive in the queues. */
  private final class Stream implements AutoCloseable {
    final HttpResponse<java.util.stream.Stream<String>> response;
    final BlockingQueue<JsonNode> progress = new LinkedBlockingQueue<>();
    final BlockingQueue<JsonNode> ended = new LinkedBlockingQueue<>();
    final CountDownLatch over = new CountDownLatch(1);

    Stream(HttpRequest request) throws Exception {
      response = http.send(request, HttpResponse.BodyHandlers.ofLines());
      Thread.ofVirtual().start(this::read);
    }

    private void read() {
      try {
        Iterator<String> lines = response.body().iterator();
        String event = null;
        while (lines.hasNext()) {
          String line = lines.next();
          if (line.startsWith("event:")) {
            event = line.substring(6).strip();
          } else if (line.startsWith("data:")) {
            JsonNode data = JSON.readTree(line.substring(5).strip());
            if ("progress".equals(event)) {
              progress.add(data);
            } else if ("ended".equals(event)) {
              ended.add(data);
            }
          } else if (line.isEmpty()) {
            event = null;
          }
        }
      } catch (RuntimeException closed) {
        // the test closed the stream
      } finally {
        over.countDown();
      }
    }

    /**
     * The first progress with this many pending leads: a viewer's first event is the feed's latest,
     * which may be up to a poll older than a change the test has just made.
     */
    JsonNode progressWithPending(long pending) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        JsonNode next = progress.poll(1, TimeUnit.SECONDS);
        if (next != null && next.at("/leads/pending").asLong() == pending) {
          return next;
        }
      }
      throw new AssertionError("no progress event with " + pending + " pending leads in 10 s");
    }

    @Override
    public void close() {
      response.body().close();
    }
  }

  // --- tests ---

  @Test
  void aTicketOpensTheCampaignsProgressWhichFollowsEveryChangeUntilItEnds() throws Exception {
    String id = campaign("Winter", "+14155550101", "+14155550102");
    Accounts.Session viewer = accounts.user(Role.VIEWER);

    try (Stream stream = new Stream(campaignEvents(id, ticketFor(viewer, id)).build())) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
      assertThat(stream.response.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("text/event-stream");
      assertThat(stream.response.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(stream.response.headers().firstValue("Referrer-Policy")).contains("no-referrer");

      JsonNode first = stream.progressWithPending(2);
      assertThat(first.get("id").asString()).isEqualTo(id);
      assertThat(first.get("status").asString()).isEqualTo("draft");
      assertThat(first.at("/leads/dialing").asLong()).isZero();
      // The same progress object as GET /api/campaigns/{id}, whatever fields it has.
      JsonNode shown =
          send(
              org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(
                      "/api/campaigns/" + id)
                  .with(viewer.bearer()),
              200);
      assertThat(first.get("progress")).isEqualTo(shown.get("progress"));
      assertThat(first.get("leads")).isEqualTo(shown.get("leads"));

      importLeads(id, "+14155550103");
      assertThat(stream.progressWithPending(3).get("status").asString()).isEqualTo("draft");

      send(post("/api/campaigns/" + id + "/cancel").with(operator.bearer()), 200);
      JsonNode ended = stream.ended.poll(10, TimeUnit.SECONDS);
      assertThat(ended).as("an ended event within 10 s").isNotNull();
      assertThat(ended.get("status").asString()).isEqualTo("cancelled");
      assertThat(ended.at("/leads/pending").asLong()).isEqualTo(3);
      assertThat(stream.progress).last().isEqualTo(ended);
      assertThat(stream.over.await(5, TimeUnit.SECONDS)).as("the server ends the stream").isTrue();
    }

    // A finished campaign's stream says so at once and ends.
    try (Stream again = new Stream(campaignEvents(id, ticketFor(viewer, id)).build())) {
      assertThat(again.response.statusCode()).isEqualTo(200);
      assertThat(again.ended.poll(10, TimeUnit.SECONDS).get("status").asString())
          .isEqualTo("cancelled");
      assertThat(again.over.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aTicketOpensOnlyItsOwnPurposeAndCampaignAndAWrongOneIsNotSpent() throws Exception {
    String a = campaign("A", "+14155550101");
    String b = campaign("B", "+14155550102");
    Accounts.Session viewer = accounts.user(Role.VIEWER);

    String liveCalls = ticket(viewer, "{\"purpose\":\"live-calls\"}");
    assertThat(statusOf(campaignEvents(a, liveCalls).build())).isEqualTo(401);
    String forB = ticketFor(viewer, b);
    assertThat(statusOf(campaignEvents(a, forB).build())).isEqualTo(401);
    assertThat(statusOf(events("/api/calls/live/events?ticket=" + forB).build())).isEqualTo(401);
    // Refused at the wrong door, each is still good at its own.
    try (Stream stream = new Stream(campaignEvents(b, forB).build())) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
      assertThat(stream.progressWithPending(1).get("id").asString()).isEqualTo(b);
    }
    try (Stream stream = new Stream(events("/api/calls/live/events?ticket=" + liveCalls).build())) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
    }
    // Used once, never again.
    assertThat(statusOf(campaignEvents(b, forB).build())).isEqualTo(401);

    // The same id spelt in capitals is the same campaign.
    try (Stream stream =
        new Stream(campaignEvents(a.toUpperCase(), ticketFor(viewer, a)).build())) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
      assertThat(stream.progressWithPending(1).get("id").asString()).isEqualTo(a);
    }
  }

  @Test
  void aTicketForNoCampaignIsSpentThenAnswered404() throws Exception {
    String nowhere = UUID.randomUUID().toString();
    String ticket = ticketFor(accounts.user(Role.VIEWER), nowhere);

    HttpResponse<String> answer =
        http.send(campaignEvents(nowhere, ticket).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(JSON.readTree(answer.body()).get("detail").asString()).contains(nowhere);
    assertThat(statusOf(campaignEvents(nowhere, ticket).build())).isEqualTo(401);
  }

  @Test
  void onlyATicketOpensTheStreamAndNoOtherCampaignPathSkipsTheBearerCheck() throws Exception {
    String id = campaign("Locked", "+14155550101");
    for (String query :
        new String[] {"", "?ticket=", "?ticket=nonsense", "?ticket=" + "A".repeat(43)}) {
      assertThat(
              statusOf(
                  events("/api/campaigns/" + id + "/events" + query)
                      .header("Authorization", operator.authorization())
                      .build()))
          .as(query)
          .isEqualTo(401);
    }
    // Not an id: still the ticket first, so a 401, not a 400 or 404.
    assertThat(statusOf(campaignEvents("nope", "A".repeat(43)).build())).isEqualTo(401);
    // A stale bearer header does not spoil a good ticket: the ticket is the credential here.
    try (Stream stream =
        new Stream(
            campaignEvents(id, ticketFor(operator, id))
                .header("Authorization", "Bearer expired.or.garbage")
                .build())) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
    }
    for (String path :
        new String[] {
          "/api/campaigns/" + id,
          "/api/campaigns/" + id + "/leads",
          "/api/campaigns/" + id + "/events/x",
          "/api/campaigns/events"
        }) {
      assertThat(
              statusOf(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build()))
          .as(path)
          .isEqualTo(401);
    }
  }

  @Test
  void fiftyViewersCostOneReadPerPollNotOnePerViewer() throws Exception {
    String id = campaign("Watched", "+14155550101", "+14155550102");
    Accounts.Session viewer = accounts.user(Role.VIEWER);
    List<String> tickets = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tickets.add(ticketFor(viewer, id));
    }
    Mockito.clearInvocations(source);
    long started = System.nanoTime();
    List<Stream> streams = new ArrayList<>();
    try {
      for (String ticket : tickets) {
        streams.add(new Stream(campaignEvents(id, ticket).build()));
      }
      for (Stream stream : streams) {
        assertThat(stream.response.statusCode()).isEqualTo(200);
        stream.progressWithPending(2);
      }
      importLeads(id, "+14155550103");
      for (Stream stream : streams) {
        stream.progressWithPending(3);
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      int reads = Mockito.mockingDetails(source).getInvocations().size();
      // One read per second at most, however many watch; one per viewer would be 100 or more.
      assertThat(reads).isLessThanOrEqualTo((int) seconds + 2).isLessThan(50);
    } finally {
      streams.forEach(Stream::close);
    }
  }
}
