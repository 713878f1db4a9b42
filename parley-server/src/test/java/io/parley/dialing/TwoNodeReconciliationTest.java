package io.parley.dialing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.ParleyApplication;
import io.parley.auth.Role;
import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.NewCall;
import io.parley.calls.StatusUpdate;
import io.parley.nodes.Nodes;
import io.parley.shared.Organisations;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.twilio.SimCall;
import io.parley.sim.twilio.TwilioConfig;
import io.parley.support.Accounts;
import io.parley.support.AgentRequests;
import io.parley.support.Callees;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import io.parley.telephony.CallControl;
import io.parley.telephony.OutboundDial;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two Parley nodes on one database: this test's context is node A; node B is a second Spring
 * application context in the same JVM (its own node id, HTTP port, media port, pool and reconciler)
 * on the same database and Twilio simulator. A third node, {@code node-gone}, exists only as a row
 * whose heartbeat stopped long ago. Contexts rather than processes: a second JVM would start Spring
 * from cold (about twice as long here) and test nothing more about the shared database, which is
 * what decides who reconciles what.
 */
@Tag("db")
@AutoConfigureMockMvc
@SpringBootTest(properties = {"parley.node.id=node-a", "parley.node.heartbeat-interval=200ms"})
@ActiveProfiles("test")
class TwoNodeReconciliationTest {

  private static final String AGENT_NUMBER = "+14155550123";
  private static final String TALKING = Callees.daytime(61);
  private static final String RINGING = Callees.daytime(62);
  private static final String NOBODY_CALLED = Callees.daytime(63);
  private static final String CRASH = Callees.daytime(64);
  private static final UUID PROMPT = UUID.fromString("11111111-1111-1111-1111-111111111111");
  private static final String GONE = "node-gone";

  /** Twilio keeps a call answered with this running for two minutes, with no Parley involved. */
  private static final String HOLD = "<Response><Pause length=\"120\"/></Response>";

  @AutoClose
  private static final Sim SIM =
      Sim.start(
          SimConfig.defaults()
              .withTwilio(
                  SimTwilio.owning(AGENT_NUMBER)
                      .withDestinations(
                          Map.of(
                              TALKING,
                              TwilioConfig.Destination.answer(Duration.ofMillis(50), null),
                              RINGING,
                              TwilioConfig.Destination.of(
                                  TwilioConfig.Outcome.NO_ANSWER, Duration.ofSeconds(60)),
                              CRASH,
                              TwilioConfig.Destination.of(
                                  TwilioConfig.Outcome.NO_ANSWER, Duration.ofSeconds(60))))));

  private static ConfigurableApplicationContext nodeB;

  @DynamicPropertySource
  static void twilio(DynamicPropertyRegistry registry) {
    // All providers, so an agent passes the "can talk" check when node B dials.
    io.parley.support.SimProviders.all(registry, SIM);
  }

  @Autowired DataSource dataSource;
  @Autowired CallRecords records;
  @Autowired CallReconciler reconciler;
  @Autowired CallControl control;
  @Autowired Nodes nodes;
  @Autowired MockMvc mvc;

  // The simulator's HTTP/1.1 server refuses the JDK client's default h2c upgrade header.
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void setUp() throws Exception {
    reconciler.awaitStartupRun();
    DatabaseCleaner.clean(dataSource);
    // The cleaner removed the node rows too; live nodes write theirs back within a heartbeat.
    await().atMost(Duration.ofSeconds(5)).until(() -> nodes.alive("node-a"));
    JdbcClient.create(dataSource)
        .sql(
            "INSERT INTO node (id, run_id, host, pid, version, started_at, heartbeat_at)"
                + " VALUES (?, ?, 'gone-host', 1, 'old', ?, ?)")
        .params(
            GONE,
            UUID.randomUUID().toString(),
            Timestamp.from(Instant.now().minus(Duration.ofHours(2))),
            Timestamp.from(Instant.now().minus(Duration.ofHours(1))))
        .update();
  }

  @AfterEach
  void endCalls() {
    for (SimCall call : SIM.twilio().calls()) {
      if (!call.isEnded()) {
        try {
          control.hangUp(call.sid());
        } catch (RuntimeException e) {
          // ended meanwhile
        }
      }
    }
  }

  /**
   * Node B's Twilio, except that once Twilio has placed the call to {@link #CRASH} the dialling
   * thread dies: an Error, which nothing in the dial path catches, so nothing after the REST call
   * runs, as if the process had been killed there. Not a Spring annotation: only node B adds it.
   */
  static class DiesAfterTheDial {
    @Bean
    @Primary
    CallControl diesAfterTheDial(@Qualifier("twilioCallControl") CallControl twilio) {
      return (CallControl)
          Proxy.newProxyInstance(
              CallControl.class.getClassLoader(),
              new Class<?>[] {CallControl.class},
              (proxy, method, args) -> {
                Object result;
                try {
                  result = method.invoke(twilio, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
                if (method.getName().equals("dial")
                    && args[0] instanceof OutboundDial dial
                    && dial.to().equals(CRASH)) {
                  throw new KilledHere();
                }
                return result;
              });
    }
  }

  static final class KilledHere extends Error {}

  /**
   * Leaves the test tree's configurations out of node B's component scan, as Spring's test contexts
   * do for node A: B is wired like a production node (plus {@link DiesAfterTheDial}).
   */
  static final class ProductionBeansOnly extends TypeExcludeFilter {
    @Override
    public boolean match(MetadataReader reader, MetadataReaderFactory factory) throws IOException {
      if (reader.getAnnotationMetadata().isAnnotated(TestComponent.class.getName())) {
        return true;
      }
      String enclosing = reader.getClassMetadata().getEnclosingClassName();
      return enclosing != null
          && factory
              .getMetadataReader(enclosing)
              .getAnnotationMetadata()
              .hasAnnotatedMethods(Test.class.getName());
    }

    @Override
    public boolean equals(Object other) {
      return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
      return getClass().hashCode();
    }
  }

  @AfterAll
  static void stopNodeB() {
    if (nodeB != null) {
      nodeB.close();
    }
  }

  /**
   * Starts node B, or restarts it: a new run of the same node, with its start-up reconciliation.
   */
  private static ConfigurableApplicationContext restartNodeB() throws InterruptedException {
    if (nodeB != null) {
      nodeB.close();
    }
    nodeB =
        new SpringApplicationBuilder(ParleyApplication.class, DiesAfterTheDial.class)
            .profiles("test")
            .initializers(
                context ->
                    context
                        .getBeanFactory()
                        .registerSingleton("productionBeansOnly", new ProductionBeansOnly()))
            .properties(
                "server.port=0",
                "parley.node.id=node-b",
                "parley.node.heartbeat-interval=200ms",
                // Its callbacks go nowhere: once B dies only Twilio knows the CallSid.
                "parley.public-url=http://127.0.0.1:9",
                "PARLEY_TWILIO_API_URL=" + SIM.twilioApiUrl(),
                "PARLEY_TWILIO_ACCOUNT_SID=" + SIM.twilio().accountSid(),
                "PARLEY_TWILIO_AUTH_TOKEN=" + SIM.twilio().authToken(),
                "PARLEY_DEEPGRAM_URL=" + SIM.deepgramUrl(),
                "PARLEY_DEEPGRAM_API_KEY=" + SIM.config().deepgram().apiKey(),
                "PARLEY_ELEVENLABS_URL=" + SIM.elevenLabsUrl(),
                "PARLEY_ELEVENLABS_API_KEY=" + SIM.config().elevenLabs().apiKey(),
                "PARLEY_LLM_XAI_BASE_URL=" + SIM.llmBaseUrl(),
                "PARLEY_LLM_XAI_API_KEY=" + SIM.llm().apiKey())
            .run();
    nodeB.getBean(CallReconciler.class).awaitStartupRun();
    return nodeB;
  }

  private static ConfigurableApplicationContext nodeB() throws InterruptedException {
    return nodeB != null && nodeB.isActive() ? nodeB : restartNodeB();
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A call Twilio holds answered (it plays {@link #HOLD}), as a node's live conversation would. */
  private String liveCallAtTwilio(String to) throws Exception {
    String form =
        "To="
            + URLEncoder.encode(to, StandardCharsets.UTF_8)
            + "&From="
            + URLEncoder.encode(AGENT_NUMBER, StandardCharsets.UTF_8)
            + "&Twiml="
            + URLEncoder.encode(HOLD, StandardCharsets.UTF_8);
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (SIM.twilio().accountSid() + ":" + SIM.twilio().authToken())
                    .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        SIM.twilioApiUrl()
                            + "/2010-04-01/Accounts/"
                            + SIM.twilio().accountSid()
                            + "/Calls.json"))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    String sid = JsonMapper.builder().build().readTree(created.body()).path("sid").asString();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "in-progress".equals(SIM.twilio().call(sid).status()));
    return sid;
  }

  /** An outbound attempt written by {@code node} (null: before nodes existed), not dialled. */
  private UUID attempt(String node, String to, Duration age) {
    return attempt(node, to, null, age, null);
  }

  /** An outbound attempt written by {@code node}, {@code age} ago, answered at {@code answered}. */
  private UUID attempt(String node, String to, String sid, Duration age, Instant answered) {
    UUID id =
        records
            .create(
                NewCall.builder(CallDirection.OUTBOUND, AGENT_NUMBER, to)
                    .organisation(Organisations.DEFAULT_ID)
                    .callSid(sid)
                    .build())
            .id();
    Instant created = Instant.now().minus(age);
    JdbcClient.create(dataSource)
        .sql(
            node == null
                ? "UPDATE call_record SET node_id = NULL, created_at = :created WHERE id = :id"
                : "UPDATE call_record SET node_id = :node, created_at = :created WHERE id = :id")
        .paramSource(
            node == null
                ? Map.of("created", Timestamp.from(created), "id", id)
                : Map.of("node", node, "created", Timestamp.from(created), "id", id))
        .update();
    if (answered != null) {
      records.applyStatus(id, StatusUpdate.of(CallStatus.IN_PROGRESS, answered));
    }
    return id;
  }

  private CallRecord record(UUID id) {
    return records.find(id).orElseThrow();
  }

  // ---- tests --------------------------------------------------------------------------------

  @Test
  void restartingANodeLeavesTheOtherNodesCallsAloneAndSettlesItsOwnAndTheDeadNodes()
      throws Exception {
    Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
    // Dialled by A's previous run, answered in this one: A holds its conversation now.
    UUID ofA =
        attempt("node-a", TALKING, liveCallAtTwilio(TALKING), Duration.ofMinutes(5), Instant.now());
    // Answered in B's run that is about to stop.
    UUID ofB =
        attempt("node-b", TALKING, liveCallAtTwilio(TALKING), Duration.ofMinutes(5), hourAgo);
    UUID ofGone = attempt(GONE, TALKING, liveCallAtTwilio(TALKING), Duration.ofMinutes(5), hourAgo);

    restartNodeB();

    // A is alive: its call talks on, untouched.
    assertThat(SIM.twilio().call(record(ofA).twilioCallSid()).status()).isEqualTo("in-progress");
    assertThat(record(ofA).outcome()).isNull();
    assertThat(record(ofA).nodeId()).isEqualTo("node-a");
    // B's previous run held this one: its stream died with that run.
    assertThat(SIM.twilio().call(record(ofB).twilioCallSid()).awaitEnd(Duration.ofSeconds(5)))
        .isTrue();
    assertThat(record(ofB).outcome()).isEqualTo(CallOutcome.SYSTEM_ERROR);
    assertThat(record(ofB).outcomeReason()).isEqualTo(CallReconciler.ORPHANED);
    // The dead node's call: taken over by B, hung up.
    assertThat(SIM.twilio().call(record(ofGone).twilioCallSid()).awaitEnd(Duration.ofSeconds(5)))
        .isTrue();
    assertThat(record(ofGone).outcome()).isEqualTo(CallOutcome.SYSTEM_ERROR);
    assertThat(record(ofGone).nodeId()).isEqualTo("node-b");

    // A's periodic run, meanwhile: B is alive, so B's calls are B's; nothing is left for A.
    CallReconciler.Report report = reconciler.run();
    assertThat(report.orphaned()).isZero();
    assertThat(SIM.twilio().call(record(ofA).twilioCallSid()).status()).isEqualTo("in-progress");
  }

  @Test
  void aCrashBetweenTheDialAndItsCommitIsFoundAtTwilioAndNeverDialledAgain() throws Exception {
    // The dead node wrote the attempt, Twilio placed the call, and the node died before storing
    // the CallSid; the callbacks went nowhere (no node was reachable at that address).
    UUID crashed = attempt(GONE, RINGING, Duration.ofMinutes(3));
    String placed =
        control.dial(
            new OutboundDial(
                crashed, RINGING, AGENT_NUMBER, URI.create("http://127.0.0.1:9"), 60, 60, null));
    // An attempt of the same dead node that never reached Twilio.
    UUID neverSent = attempt(GONE, NOBODY_CALLED, Duration.ofMinutes(3));
    int callsBefore = SIM.twilio().calls().size();

    CallReconciler.Report report = reconciler.run();

    assertThat(report.recovered()).isEqualTo(1);
    assertThat(report.neverDialled()).isEqualTo(1);
    CallRecord found = record(crashed);
    assertThat(found.twilioCallSid()).isEqualTo(placed);
    assertThat(found.outcome()).isNull();
    assertThat(found.status()).isIn(CallStatus.QUEUED, CallStatus.INITIATED, CallStatus.RINGING);
    assertThat(found.nodeId()).isEqualTo("node-a");
    CallRecord closed = record(neverSent);
    assertThat(closed.outcome()).isEqualTo(CallOutcome.FAILED);
    assertThat(closed.outcomeReason()).isEqualTo(CallReconciler.NEVER_DIALLED);
    assertThat(closed.status()).isEqualTo(CallStatus.FAILED);
    // Nothing was dialled by reconciling, and the next run changes nothing.
    assertThat(SIM.twilio().calls()).hasSize(callsBefore);
    assertThat(reconciler.run().recovered()).isZero();
    assertThat(SIM.twilio().calls()).hasSize(callsBefore);
  }

  @Test
  void ofTwoLiveNodesExactlyOneTakesOverADeadNodesCall() throws Exception {
    CallRecords ofB = nodeB().getBean(CallRecords.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> nodes.alive("node-b"));
    for (int round = 0; round < 20; round++) {
      UUID call = attempt(GONE, TALKING, Duration.ofMinutes(5));
      CountDownLatch start = new CountDownLatch(1);
      List<Callable<Boolean>> both =
          List.of(
              () -> {
                start.await();
                return records.takeOver(call, GONE);
              },
              () -> {
                start.await();
                return ofB.takeOver(call, GONE);
              });
      try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        List<Future<Boolean>> results = both.stream().map(pool::submit).toList();
        start.countDown();
        int winners = 0;
        for (Future<Boolean> result : results) {
          winners += result.get() ? 1 : 0;
        }
        assertThat(winners).as("round " + round).isEqualTo(1);
      }
      assertThat(record(call).nodeId()).isIn("node-a", "node-b");
    }
    // A live holder keeps its call: B is alive, so A cannot take B's call over.
    UUID ofLive = attempt("node-b", TALKING, Duration.ofMinutes(5));
    assertThat(records.takeOver(ofLive, "node-b")).isFalse();
    assertThat(record(ofLive).nodeId()).isEqualTo("node-b");
    // A call recorded before nodes existed (no holder) is taken once.
    UUID ofNobody = attempt(null, TALKING, Duration.ofMinutes(5));
    assertThat(records.takeOver(ofNobody, null)).isTrue();
    assertThat(ofB.takeOver(ofNobody, null)).isFalse();
  }

  @Test
  void killingANodeBetweenTheDialAndItsCommitNeverDialsTwice() throws Exception {
    ConfigurableApplicationContext b = restartNodeB();
    Accounts.Session operator = new Accounts(mvc).user(Role.OPERATOR);
    PromptRows.insert(
        dataSource, PROMPT, "Reminders", "Remind {{first_name}} of the visit.", operator.userId());
    JdbcClient.create(dataSource)
        .sql("UPDATE prompt_version SET variables = ? WHERE prompt_id = ?")
        .params("[{\"name\": \"first_name\", \"required\": true}]", PROMPT)
        .update();
    String agentId =
        new AgentRequests(mvc, operator.bearer())
            .create(
                """
                {"name": "Reminders", "promptId": "%s", "greeting": "Hello!",
                 "voice": {"provider": "elevenlabs", "voiceId": "v1"},
                 "llm": {"model": "grok-3-mini"}, "twilioNumber": "%s"}
                """
                    .formatted(PROMPT, AGENT_NUMBER))
            .get("id")
            .asString();
    String body =
        """
        {"agentId": "%s", "to": "%s", "variables": {"first_name": "Priya"}}
        """
            .formatted(agentId, CRASH);
    int port = b.getEnvironment().getProperty("local.server.port", Integer.class);

    // B writes the attempt, Twilio places the call, and B dies before it stores the CallSid.
    HttpResponse<String> killed =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/calls"))
                .header("Content-Type", "application/json")
                .header("Authorization", operator.authorization())
                .header("Idempotency-Key", "lead-crash")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(killed.statusCode()).as(killed.body()).isGreaterThanOrEqualTo(500);
    b.close();
    List<SimCall> placed =
        SIM.twilio().calls().stream().filter(call -> call.to().equals(CRASH)).toList();
    assertThat(placed).hasSize(1);
    CallRecord written =
        records.findByIdempotencyKey(Organisations.DEFAULT_ID, "lead-crash").orElseThrow();
    assertThat(written.twilioCallSid()).isNull();
    assertThat(written.nodeId()).isEqualTo("node-b");
    // Past the age under which a request may still be dialling it.
    JdbcClient.create(dataSource)
        .sql("UPDATE call_record SET created_at = ? WHERE id = ?")
        .params(Timestamp.from(Instant.now().minus(Duration.ofMinutes(3))), written.id())
        .update();

    // A reconciles the dead node's attempt: Twilio has its call.
    assertThat(reconciler.run().recovered()).isEqualTo(1);
    CallRecord found = record(written.id());
    assertThat(found.twilioCallSid()).isEqualTo(placed.getFirst().sid());
    assertThat(found.outcome()).isNull();
    assertThat(found.nodeId()).isEqualTo("node-a");

    // The client retries on the live node: the same call, and no second dial.
    mvc.perform(
            post("/api/calls")
                .with(operator.bearer())
                .header("Idempotency-Key", "lead-crash")
                .contentType(MediaType.APPLICATION_JSON)
                .content(body))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.id").value(written.id().toString()));
    assertThat(SIM.twilio().calls().stream().filter(call -> call.to().equals(CRASH))).hasSize(1);
  }
}
