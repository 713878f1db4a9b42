package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import io.parley.shared.Organisations;
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live calls stream over real HTTP, opened as a browser's {@code EventSource} would: a ticket
 * in the query, {@code Accept: text/event-stream}, no bearer header.
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class LiveCallsEventsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;
  @Autowired LoggingSystem logging;
  @MockitoSpyBean LiveCallsSource source;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Accounts accounts;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    CallFixtures.createAgents(dataSource);
    accounts = new Accounts(mvc);
    accounts.firstAdmin();
  }

  private String ticket(Accounts.Session as) throws Exception {
    String answer =
        mvc.perform(
                post("/api/tickets")
                    .with(as.bearer())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"purpose\":\"live-calls\"}"))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return JSON.readTree(answer).get("ticket").asString();
  }

  private HttpRequest.Builder events(String query) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/calls/live/events" + query))
        .header("Accept", "text/event-stream");
  }

  /** An open stream; the data of its {@code calls} events arrive in {@link #calls}. */
  private final class Stream implements AutoCloseable {
    final HttpResponse<java.util.stream.Stream<String>> response;
    final BlockingQueue<JsonNode> calls = new LinkedBlockingQueue<>();
    final BlockingQueue<String> comments = new LinkedBlockingQueue<>();

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
          } else if (line.startsWith("data:") && "calls".equals(event)) {
            calls.add(JSON.readTree(line.substring(5).strip()));
          } else if (line.startsWith(":")) {
            comments.add(line);
          } else if (line.isEmpty()) {
            event = null;
          }
        }
      } catch (RuntimeException closed) {
        // the test closed the stream
      }
    }

    JsonNode nextCalls() throws InterruptedException {
      JsonNode next = calls.poll(10, TimeUnit.SECONDS);
      assertThat(next).as("a calls event within 10 s").isNotNull();
      return next;
    }

    /**
     * The first list with exactly these calls: a viewer's first list is the feed's latest, which
     * may be up to a poll older than a call the test has just written.
     */
    JsonNode nextCallsWith(String... ids) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        JsonNode next = calls.poll(1, TimeUnit.SECONDS);
        if (next != null && ids(next).equals(List.of(ids))) {
          return next;
        }
      }
      throw new AssertionError("no calls event with exactly " + List.of(ids) + " within 10 s");
    }

    @Override
    public void close() {
      response.body().close();
    }
  }

  private static List<String> ids(JsonNode calls) {
    List<String> ids = new ArrayList<>();
    calls.forEach(call -> ids.add(call.get("id").asString()));
    return ids;
  }

  private UUID call(String to, CallStatus status) {
    return records
        .create(
            CallFixtures.outbound(to)
                .organisation(Organisations.DEFAULT_ID)
                .status(status)
                .callSid("CA" + UUID.randomUUID().toString().replace("-", ""))
                .build())
        .id();
  }

  @Test
  void aTicketOpensTheStreamOfTheCallsInProgressAndEveryChange() throws Exception {
    UUID ringing = call("+14155550111", CallStatus.RINGING);
    UUID ended = call("+14155550112", CallStatus.RINGING);
    records.applyStatus(ended, StatusUpdate.of(CallStatus.COMPLETED, Instant.now()));

    try (Stream stream =
        new Stream(events("?ticket=" + ticket(accounts.user(Role.VIEWER))).build())) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
      assertThat(stream.response.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("text/event-stream");
      assertThat(stream.response.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(stream.response.headers().firstValue("Referrer-Policy")).contains("no-referrer");

      JsonNode first = stream.nextCallsWith(ringing.toString());
      JsonNode call = first.get(0);
      assertThat(call.get("status").asString()).isEqualTo("ringing");
      assertThat(call.get("direction").asString()).isEqualTo("outbound");
      assertThat(call.get("to").asString()).isEqualTo("+14155550111");
      assertThat(call.get("agentId").asString()).isEqualTo(CallFixtures.AGENT.toString());
      assertThat(call.has("nodeId")).isTrue();
      assertThat(call.has("callSid")).isTrue();

      records.applyStatus(ringing, StatusUpdate.of(CallStatus.IN_PROGRESS, Instant.now()));
      JsonNode answered = stream.nextCalls();
      assertThat(answered.get(0).get("status").asString()).isEqualTo("in_progress");
      assertThat(answered.get(0).has("answeredAt")).isTrue();

      UUID next = call("+14155550113", CallStatus.QUEUED);
      stream.nextCallsWith(ringing.toString(), next.toString());

      records.applyStatus(ringing, StatusUpdate.of(CallStatus.COMPLETED, Instant.now()));
      stream.nextCallsWith(next.toString());
    }
  }

  @Test
  void aUsedTicketIsRefusedWithAProblemThatSaysNothingMore() throws Exception {
    String ticket = ticket(accounts.user(Role.OPERATOR));
    try (Stream first = new Stream(events("?ticket=" + ticket).build())) {
      assertThat(first.response.statusCode()).isEqualTo(200);
    }

    HttpResponse<String> again =
        http.send(events("?ticket=" + ticket).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(again.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(again.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    JsonNode problem = JSON.readTree(again.body());
    assertThat(problem.get("status").asInt()).isEqualTo(401);
    assertThat(problem.get("detail").asString())
        .doesNotContain("used")
        .contains("POST /api/tickets");
    assertThat(again.body()).doesNotContain(ticket);
  }

  @Test
  void aTicketOfAUserWhoSignedOutSinceIsRefused() throws Exception {
    Accounts.Session operator = accounts.user(Role.OPERATOR);
    String ticket = ticket(operator);
    mvc.perform(post("/api/auth/logout").with(operator.bearer())).andExpect(status().isNoContent());

    assertThat(
            http.send(events("?ticket=" + ticket).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void onlyATicketOpensTheStreamAndOnlyThisPathSkipsTheBearerCheck() throws Exception {
    Accounts.Session operator = accounts.user(Role.OPERATOR);
    for (String query :
        new String[] {"", "?ticket=", "?ticket=nonsense", "?ticket=" + "A".repeat(43)}) {
      assertThat(
              http.send(
                      events(query).header("Authorization", operator.authorization()).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as(query)
          .isEqualTo(401);
    }
    // A stale bearer header does not spoil a good ticket: the ticket is the credential here.
    try (Stream stream =
        new Stream(
            events("?ticket=" + ticket(operator))
                .header("Authorization", "Bearer expired.or.garbage")
                .build())) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
    }
    // Everything else under /api still needs the bearer token.
    for (String path : new String[] {"/api/calls", "/api/calls/live", "/api/calls/live/events/x"}) {
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as(path)
          .isEqualTo(401);
    }
  }

  @Test
  void theTicketIsNeverLogged(CapturedOutput output) throws Exception {
    Accounts.Session operator = accounts.user(Role.OPERATOR);
    String ticket = ticket(operator);
    List<String> loggers = List.of("org.springframework", "io.parley");
    loggers.forEach(logger -> logging.setLogLevel(logger, LogLevel.TRACE));
    try {
      try (Stream stream = new Stream(events("?ticket=" + ticket).build())) {
        stream.nextCalls();
      }
      http.send(events("?ticket=" + ticket).build(), HttpResponse.BodyHandlers.ofString());
    } finally {
      loggers.forEach(logger -> logging.setLogLevel(logger, null));
    }

    assertThat(output.getAll()).contains("Refused a live-calls ticket: already used");
    // Spring logs the request line with its query string at DEBUG: masked.
    assertThat(output.getAll()).contains("/api/calls/live/events?ticket=…");
    assertThat(output.getAll()).doesNotContain(ticket);
  }

  @Test
  void fiftyViewersCostOneQueryPerPollNotOnePerViewer() throws Exception {
    UUID first = call("+14155550111", CallStatus.RINGING);
    List<String> tickets = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tickets.add(ticket(accounts.user(Role.VIEWER)));
    }
    Mockito.clearInvocations(source);
    long started = System.nanoTime();
    List<Stream> streams = new ArrayList<>();
    try {
      for (String ticket : tickets) {
        streams.add(new Stream(events("?ticket=" + ticket).build()));
      }
      for (Stream stream : streams) {
        stream.nextCallsWith(first.toString());
      }
      UUID second = call("+14155550112", CallStatus.QUEUED);
      for (Stream stream : streams) {
        stream.nextCallsWith(first.toString(), second.toString());
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      int queries = Mockito.mockingDetails(source).getInvocations().size();
      // One poll per second at most, however many watch; one per viewer would be 100 or more.
      assertThat(queries).isLessThanOrEqualTo((int) seconds + 2).isLessThan(50);
    } finally {
      streams.forEach(Stream::close);
    }
  }
}
