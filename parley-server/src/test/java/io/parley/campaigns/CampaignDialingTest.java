package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.auth.Role;
import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.NewCall;
import io.parley.calls.StatusUpdate;
import io.parley.dialing.CampaignDialing;
import io.parley.dialing.DialPace;
import io.parley.media.MediaLoad;
import io.parley.nodes.NodeIdentity;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.caller.CallerScript;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.twilio.SimCall;
import io.parley.sim.twilio.TwilioConfig;
import io.parley.support.Accounts;
import io.parley.support.AgentRequests;
import io.parley.support.Callees;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import io.parley.telephony.CallControl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Campaigns running end to end: Parley listens on a real port, its dispatcher dials leads through
 * the Twilio simulator, whose scripted destinations answer as people (who hang up after the
 * greeting), machines, busy lines and no-answers, and whose signed callbacks settle each lead. Dial
 * rate and concurrency are measured where Twilio would see them: at the simulator.
 */
@Tag("db")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class CampaignDialingTest {

  private static final String AGENT_NUMBER = "+14155550123";
  private static final UUID PROMPT = UUID.fromString("21111111-1111-1111-1111-111111111111");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  // Twenty leads: twelve people, three busy lines, three no-answers, two machines.
  private static final List<String> PEOPLE =
      IntStream.range(10, 22).mapToObj(Callees::daytime).toList();
  private static final List<String> BUSY =
      IntStream.range(22, 25).mapToObj(Callees::daytime).toList();
  private static final List<String> NO_ANSWER =
      IntStream.range(25, 28).mapToObj(Callees::daytime).toList();
  private static final List<String> MACHINES =
      IntStream.range(28, 30).mapToObj(Callees::daytime).toList();
  // Three hundred people, for the pace test (numbers of the same area as the others, apart).
  private static final List<String> CROWD =
      IntStream.range(3000, 3300).mapToObj(Callees::daytimeWide).toList();
  // A telemarketing campaign: a callee who opts out, one with consent, one without.
  private static final String OPTS_OUT = Callees.daytime(60);
  private static final String CONSENTED = Callees.daytime(61);
  private static final String NO_CONSENT = Callees.daytime(62);
  // Callbacks: a callee called back who speaks (so the model sees the prompt), one who asks to be
  // called back (the schedule_callback tool), and one where it is night now.
  private static final String CALLED_BACK = Callees.daytime(63);
  private static final String ASKS_CALLBACK = Callees.daytime(64);
  private static final String AT_NIGHT = Callees.atNight(65);
  private static final String ON_REGISTRY = Callees.daytime(66);
  // Two campaigns' worth, for the account-wide pace.
  private static final List<String> PAIR =
      IntStream.range(4000, 4030).mapToObj(Callees::daytimeWide).toList();
  // More people, for the tests that need only answered calls.
  private static final List<String> MORE_PEOPLE =
      IntStream.range(40, 60).mapToObj(Callees::daytime).toList();

  // People who wait on the line (abandonment): they stay 12 s whatever they hear.
  private static final List<String> PATIENT =
      IntStream.range(70, 73).mapToObj(Callees::daytime).toList();
  // A person whose answering-machine verdict takes 4 s, as Twilio's often does.
  private static final String SLOW_VERDICT = Callees.daytime(73);
  // An answering machine that plays a greeting, beeps and records (voicemail drop).
  private static final String VOICEMAIL_MACHINE = Callees.daytime(74);
  // The same machine, for a campaign that leaves an uploaded recording.
  private static final String RECORDING_MACHINE = Callees.daytime(75);
  // Machines that answer after 3 s: time to remove a campaign's recording once a call is placed.
  private static final String LATE_MACHINE = Callees.daytime(76);
  private static final String LATE_SILENT_MACHINE = Callees.daytime(77);
  // With the lead's first name filled in when the call is placed.
  private static final String CAMPAIGN_VOICEMAIL =
      "This is Bella's Bistro with a message for {{first_name}} about your booking. Please call us"
          + " back on (415) 555-0123. Goodbye.";
  private static final String CAMPAIGN_VOICEMAIL_LEFT =
      CAMPAIGN_VOICEMAIL.replace("{{first_name}}", "Ann");

  @AutoClose private static final Sim SIM = Sim.start(SimConfig.defaults().withTwilio(twilio()));

  private static TwilioConfig twilio() {
    Map<String, TwilioConfig.Destination> destinations = new HashMap<>();
    TwilioConfig.Destination person =
        TwilioConfig.Destination.answer(
            Duration.ofMillis(100),
            CallerScript.of(new CallerScript.Hangup(Duration.ofMillis(1500))));
    PEOPLE.forEach(n -> destinations.put(n, person));
    MORE_PEOPLE.forEach(n -> destinations.put(n, person));
    CROWD.forEach(n -> destinations.put(n, person));
    PAIR.forEach(n -> destinations.put(n, person));
    destinations.put(CONSENTED, person);
    PATIENT.forEach(
        n ->
            destinations.put(
                n,
                TwilioConfig.Destination.answer(
                    Duration.ofMillis(100),
                    CallerScript.of(new CallerScript.Hangup(Duration.ofSeconds(12))))));
    destinations.put(
        SLOW_VERDICT,
        new TwilioConfig.Destination(
            TwilioConfig.Outcome.ANSWER,
            Duration.ofMillis(100),
            "human",
            Duration.ofSeconds(4),
            CallerScript.of(new CallerScript.Hangup(Duration.ofSeconds(5)))));
    destinations.put(NO_CONSENT, person);
    TwilioConfig.Destination machine =
        new TwilioConfig.Destination(
            TwilioConfig.Outcome.ANSWER,
            Duration.ofMillis(100),
            "machine_end_beep",
            null,
            CallerScript.of(
                new CallerScript.Say(
                    "Hi, you have reached Sam. Please leave a message after the tone.",
                    new CallerScript.Now()),
                new CallerScript.Beep(Duration.ofMillis(500)),
                new CallerScript.Silence(Duration.ofSeconds(30))));
    destinations.put(VOICEMAIL_MACHINE, machine);
    destinations.put(RECORDING_MACHINE, machine);
    TwilioConfig.Destination lateMachine =
        new TwilioConfig.Destination(
            TwilioConfig.Outcome.ANSWER,
            Duration.ofSeconds(3),
            "machine_end_beep",
            null,
            machine.script());
    destinations.put(LATE_MACHINE, lateMachine);
    destinations.put(LATE_SILENT_MACHINE, lateMachine);
    destinations.put(
        CALLED_BACK,
        TwilioConfig.Destination.answer(
            Duration.ofMillis(100),
            CallerScript.of(
                new CallerScript.Say("hello again"),
                new CallerScript.Hangup(Duration.ofSeconds(3)))));
    destinations.put(
        ASKS_CALLBACK,
        TwilioConfig.Destination.answer(
            Duration.ofMillis(100),
            CallerScript.of(
                new CallerScript.Say("please call me back tomorrow afternoon"),
                new CallerScript.Hangup(Duration.ofSeconds(4)))));
    destinations.put(
        OPTS_OUT,
        TwilioConfig.Destination.answer(
            Duration.ofMillis(100),
            CallerScript.of(
                new CallerScript.Say("please do not call me again"),
                new CallerScript.Silence(Duration.ofSeconds(20)))));
    BUSY.forEach(
        n ->
            destinations.put(
                n, TwilioConfig.Destination.of(TwilioConfig.Outcome.BUSY, Duration.ofMillis(300))));
    NO_ANSWER.forEach(
        n ->
            destinations.put(
                n,
                TwilioConfig.Destination.of(
                    TwilioConfig.Outcome.NO_ANSWER, Duration.ofMillis(500))));
    MACHINES.forEach(
        n ->
            destinations.put(
                n, TwilioConfig.Destination.machine("machine_end_beep", Duration.ofMillis(300))));
    return io.parley.support.SimTwilio.owning(AGENT_NUMBER).withDestinations(destinations);
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    io.parley.support.SimProviders.all(registry, SIM);
    // A dispatcher dials with no request at hand: Twilio's callbacks go to the configured URL.
    registry.add("server.port", () -> PORT);
    registry.add("parley.public-url", () -> "http://127.0.0.1:" + PORT);
    registry.add("parley.twilio-cps", () -> "10");
    registry.add("parley.inbound-reserve", () -> "0");
  }

  private static final int PORT = freePort();

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired CallControl control;
  @Autowired CallRecords records;
  @Autowired MeterRegistry meters;
  @Autowired CampaignRepository campaigns;
  @Autowired LeadClaims claims;
  @Autowired CampaignDialing dialing;
  @Autowired DialPace pace;
  @Autowired ApplicationEventPublisher events;
  @Autowired org.springframework.transaction.PlatformTransactionManager transactions;

  /** Not overloaded unless a test says so (the real loops' lag on a shared machine is chance). */
  @MockitoBean MediaLoad load;

  private final HttpClient http = HttpClient.newHttpClient();
  private Accounts accounts;
  private Accounts.Session operator;
  private String agentId;
  private final List<CampaignDispatcher> extraNodes = new ArrayList<>();
  // The simulator keeps every call of the class; a test counts the ones it made.
  private Instant testStart;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
    operator = accounts.user(Role.OPERATOR);
    PromptRows.insert(
        dataSource, PROMPT, "Reminders", "Remind people of visits.", operator.userId());
    AgentRequests agents = new AgentRequests(mvc, operator.bearer());
    agentId =
        agents
            .create(
                """
                {"name": "Reminders", "promptId": "%s", "greeting": "Hello!",
                 "voice": {"provider": "elevenlabs", "voiceId": "v1"},
                 "llm": {"model": "grok-3-mini"}, "twilioNumber": "%s"}
                """
                    .formatted(PROMPT, AGENT_NUMBER))
            .get("id")
            .asString();
    await().atMost(Duration.ofSeconds(10)).until(() -> agents.numberSync(agentId).equals("synced"));
    testStart = Instant.now();
  }

  @AfterEach
  void endCalls() throws Exception {
    SIM.llm().rules(List.of());
    SIM.faults().clear();
    extraNodes.forEach(CampaignDispatcher::stop);
    jdbc.sql("UPDATE campaign SET status = 'cancelled'").update();
    io.parley.support.SimCallsEnded.await(SIM, control, meters);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private HttpResponse<String> send(String method, String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
            .header("Authorization", operator.authorization())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode call(String method, String path, int expectedStatus) throws Exception {
    HttpResponse<String> response = send(method, path, null, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    return JSON.readTree(response.body());
  }

  /** A campaign with the leads uploaded, still a draft. */
  private String campaign(String settings, List<String> numbers) throws Exception {
    HttpResponse<String> created =
        send(
            "POST",
            "/api/campaigns",
            "application/json",
            "{\"name\": \"Visits\", \"settings\": {\"purpose\": \"informational\", \"agentId\": \""
                + agentId
                + "\", "
                + settings
                + "}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = JSON.readTree(created.body()).get("id").asString();
    String csv =
        "phone,first_name\n"
            + numbers.stream().map(n -> n + ",Ann").collect(Collectors.joining("\n"))
            + "\n";
    HttpResponse<String> imported =
        send("POST", "/api/campaigns/" + id + "/leads", "text/csv", csv);
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    assertThat(JSON.readTree(imported.body()).get("accepted").asInt()).isEqualTo(numbers.size());
    return id;
  }

  private void awaitCompleted(String id, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                call("GET", "/api/campaigns/" + id, 200)
                    .get("status")
                    .asString()
                    .equals("completed"));
  }

  private Map<String, Integer> leadCounts(String id) throws Exception {
    JsonNode leads = call("GET", "/api/campaigns/" + id, 200).get("leads");
    Map<String, Integer> counts = new HashMap<>();
    for (String name : leads.propertyNames()) {
      counts.put(name, leads.get(name).asInt());
    }
    return counts;
  }

  private List<SimCall> simCallsTo(List<String> numbers) {
    return SIM.twilio().calls().stream()
        .filter(c -> numbers.contains(c.to()) && !c.created().isBefore(testStart))
        .toList();
  }

  private Map<String, Object> lead(String campaignId, String phone) {
    return jdbc.sql(
            "SELECT status, attempts, last_outcome, next_attempt_at, claimed_by FROM"
                + " campaign_lead WHERE campaign_id = :c AND phone_number = :p")
        .param("c", UUID.fromString(campaignId))
        .param("p", phone)
        .query()
        .singleRow();
  }

  private static int maxConcurrent(List<SimCall> calls) {
    List<long[]> edges = new ArrayList<>();
    for (SimCall call : calls) {
      edges.add(new long[] {call.created().toEpochMilli() * 1000, 1});
      Instant end = call.endTime() == null ? Instant.now() : call.endTime();
      edges.add(new long[] {end.toEpochMilli() * 1000 - 1, -1});
    }
    edges.sort((a, b) -> Long.compare(a[0], b[0]));
    int now = 0;
    int max = 0;
    for (long[] edge : edges) {
      now += (int) edge[1];
      max = Math.max(max, now);
    }
    return max;
  }

  private static String normalise(String text) {
    return text.toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} ]", "")
        .replaceAll("\\s+", " ")
        .strip();
  }

  private static int mostInOneSecond(List<Instant> created) {
    return mostIn(created, Duration.ofSeconds(1));
  }

  private static int mostIn(List<Instant> created, Duration window) {
    List<Instant> sorted = created.stream().sorted().toList();
    int most = 0;
    for (int i = 0; i < sorted.size(); i++) {
      int in = 0;
      for (int j = i; j < sorted.size(); j++) {
        if (Duration.between(sorted.get(i), sorted.get(j)).compareTo(window) < 0) {
          in++;
        }
      }
      most = Math.max(most, in);
    }
    return most;
  }

  // ---- tests --------------------------------------------------------------------------------

  @Test
  void aRunningCampaignDialsEveryLeadAtItsPaceAndConcurrencyAndSettlesEachByItsOutcome()
      throws Exception {
    List<String> all = new ArrayList<>();
    all.addAll(PEOPLE);
    all.addAll(BUSY);
    all.addAll(NO_ANSWER);
    all.addAll(MACHINES);
    String id =
        campaign(
            "\"callsPerSecond\": 5, \"maxConcurrentCalls\": 4, \"ringTimeoutSeconds\": 15", all);

    JsonNode started = call("POST", "/api/campaigns/" + id + "/start", 200);
    assertThat(started.get("status").asString()).isEqualTo("running");

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> leadCounts(id).get("done") == 12 && leadCounts(id).get("retry_at") == 8);

    List<SimCall> dialled = simCallsTo(all);
    // Every lead was dialled once: the retries wait minutes.
    assertThat(dialled.stream().map(SimCall::to).sorted().toList())
        .containsExactlyElementsOf(all.stream().sorted().toList());
    assertThat(maxConcurrent(dialled)).isLessThanOrEqualTo(4);
    List<Instant> created = dialled.stream().map(SimCall::created).sorted().toList();
    // Slots are 200 ms apart; a REST request's own delay can move one arrival towards the next,
    // so the rate is checked over two seconds (see the 300-lead test).
    assertThat(mostIn(created, Duration.ofSeconds(2))).isLessThanOrEqualTo(11);
    double seconds = Duration.between(created.getFirst(), created.getLast()).toMillis() / 1000.0;
    System.out.printf(
        "Campaign dial rate at the simulator: %d calls in %.2f s (%.2f calls/s, limit 5);"
            + " most in one second %d; most at once %d (limit 4)%n",
        created.size(),
        seconds,
        (created.size() - 1) / seconds,
        mostInOneSecond(created),
        maxConcurrent(dialled));

    assertThat(lead(id, BUSY.getFirst()))
        .containsEntry("status", "retry_at")
        .containsEntry("last_outcome", "busy")
        .containsEntry("attempts", 1);
    Instant retry = ((Timestamp) lead(id, BUSY.getFirst()).get("next_attempt_at")).toInstant();
    assertThat(retry)
        .isBetween(
            Instant.now().plus(Duration.ofMinutes(8)), Instant.now().plus(Duration.ofMinutes(11)));
    assertThat(lead(id, NO_ANSWER.getFirst())).containsEntry("last_outcome", "no_answer");
    assertThat(lead(id, MACHINES.getFirst())).containsEntry("last_outcome", "machine");
    assertThat(lead(id, PEOPLE.getFirst()))
        .containsEntry("status", "done")
        .containsEntry("last_outcome", "completed");
    // Every attempt is a call record naming its campaign and lead.
    assertThat(
            jdbc.sql(
                    "SELECT COUNT(*) FROM call_record WHERE campaign_id = :c AND lead_id IS NOT NULL")
                .param("c", UUID.fromString(id))
                .query(Integer.class)
                .single())
        .isEqualTo(20);

    // The campaign's live figures and its results, one CSV row per attempt.
    JsonNode progress = call("GET", "/api/campaigns/" + id, 200).get("progress");
    assertThat(progress.get("attempts").asInt()).isEqualTo(20);
    assertThat(progress.get("answered").asInt()).isEqualTo(14);
    assertThat(progress.get("machines").asInt()).isEqualTo(2);
    assertThat(progress.get("inCall").asInt()).isZero();
    assertThat(progress.get("outcomes").get("busy").asInt()).isEqualTo(3);
    assertThat(progress.get("outcomes").get("completed").asInt()).isEqualTo(12);
    assertThat(progress.get("answerRate").asDouble()).isEqualTo(0.7);
    assertThat(send("GET", "/api/campaigns/" + id + "/results", null, null).statusCode())
        .isEqualTo(403);
    Accounts.Session supervisor = accounts.user(Role.SUPERVISOR);
    HttpResponse<String> results =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + PORT + "/api/campaigns/" + id + "/results"))
                .header("Authorization", supervisor.authorization())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(results.statusCode()).isEqualTo(200);
    List<String> lines = results.body().lines().toList();
    // A cell starting with + is what a spreadsheet would take for a formula: it is prefixed.
    assertThat(lines).hasSize(21);
    assertThat(lines.getFirst())
        .startsWith("phone,first_name,last_name,lead_id,lead_status,call_id");
    assertThat(
            lines.stream()
                .filter(l -> l.startsWith("'" + BUSY.getFirst() + ",Ann"))
                .findFirst()
                .orElseThrow())
        .contains(",busy,");

    // Paused, resumed and cancelled, each audited; a cancelled campaign cannot be resumed.
    assertThat(call("POST", "/api/campaigns/" + id + "/pause", 200).get("status").asString())
        .isEqualTo("paused");
    assertThat(call("POST", "/api/campaigns/" + id + "/pause", 409).get("detail").asString())
        .contains("paused");
    assertThat(call("POST", "/api/campaigns/" + id + "/resume", 200).get("status").asString())
        .isEqualTo("running");
    assertThat(call("POST", "/api/campaigns/" + id + "/cancel", 200).get("status").asString())
        .isEqualTo("cancelled");
    call("POST", "/api/campaigns/" + id + "/resume", 409);
    assertThat(
            jdbc.sql("SELECT action FROM audit_log WHERE target_id = :id ORDER BY occurred_at")
                .param("id", id)
                .query(String.class)
                .list())
        .contains("campaign.started", "campaign.paused", "campaign.resumed", "campaign.cancelled");
  }

  // A minute of pacing: run once (tag e2e), not again per database vendor in CI; the slots it
  // relies on are DialPaceTest's, which runs on both.
  @Test
  @Tag("e2e")
  void threeHundredLeadsAtFiveCallsPerSecondAndTwentyAtOnceNeverExceedEither() throws Exception {
    String id = campaign("\"callsPerSecond\": 5, \"maxConcurrentCalls\": 20", CROWD);
    call("POST", "/api/campaigns/" + id + "/start", 200);
    awaitCompleted(id, Duration.ofSeconds(180));
    List<SimCall> dialled = simCallsTo(CROWD);
    assertThat(dialled).hasSize(300);
    assertThat(dialled.stream().map(SimCall::to).distinct().count()).isEqualTo(300);
    assertThat(leadCounts(id)).containsEntry("done", 300);
    List<Instant> created = dialled.stream().map(SimCall::created).sorted().toList();
    int most = mostInOneSecond(created);
    int atOnce = maxConcurrent(dialled);
    double seconds = Duration.between(created.getFirst(), created.getLast()).toMillis() / 1000.0;
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < created.size(); i++) {
      gaps.add(Duration.between(created.get(i - 1), created.get(i)).toMillis());
    }
    List<Long> sortedGaps = gaps.stream().sorted().toList();
    System.out.printf(
        "300 leads at the simulator: %.2f calls/s over %.1f s (limit 5); most in one second %d;"
            + " gap between calls min %d ms, median %d ms, max %d ms; most at once %d (limit 20)%n",
        (created.size() - 1) / seconds,
        seconds,
        most,
        sortedGaps.getFirst(),
        sortedGaps.get(sortedGaps.size() / 2),
        sortedGaps.getLast(),
        atOnce);
    assertThat(atOnce).isLessThanOrEqualTo(20);
    // Parley sends each request at its slot, 200 ms after the last (DialPaceTest holds the slots
    // to that exactly). What arrives at the simulator also carries each request's own delay on a
    // busy 2-core machine: one request held up 300 ms lands 14 ms before the next (in CI beside
    // other builds: 380 ms, landing 8 ms before it; with five builds beside it, more). So the
    // rate is held over ten seconds and over the whole run. Under a load of 10 on 2 cores (CI
    // beside two other builds) five-second windows held 30 (25 + 5 a second of delay carried
    // in); ten seconds allow 50 plus those 5, and a pacer off by even a fifth would put 60 there.
    assertThat(mostIn(created, Duration.ofSeconds(10))).isLessThanOrEqualTo(55);
    assertThat((created.size() - 1) / seconds).isLessThanOrEqualTo(5.05);
  }

  @Test
  void aTelemarketingCampaignCallsOnlyConsentedLeadsAndAnOptOutReachesTheListAtOnce()
      throws Exception {
    SIM.llm()
        .rules(
            List.of(
                LlmConfig.Rule.userToolCalls(
                    "do not call",
                    LlmConfig.ToolCallStyle.WHOLE,
                    new LlmConfig.ToolCall("opt_out", "{}"))));
    // The agent discloses that it is an automated voice and can take an opt-out, as telemarketing
    // needs.
    long version = call("GET", "/api/agents/" + agentId, 200).get("version").asLong();
    HttpResponse<String> updated =
        send(
            "PUT",
            "/api/agents/" + agentId,
            "application/json",
            ("{\"version\": %d, \"name\": \"Reminders\", \"promptId\": \"%s\", \"greeting\": \"Hello!\","
                    + " \"disclosure\": \"This is an automated call from Bella's.\","
                    + " \"voice\": {\"provider\": \"elevenlabs\", \"voiceId\": \"v1\"},"
                    + " \"llm\": {\"model\": \"grok-3-mini\"}, \"twilioNumber\": \"%s\","
                    + " \"tools\": [{\"type\": \"opt_out\"}]}")
                .formatted(version, PROMPT, AGENT_NUMBER));
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    // Telemarketing to North American numbers needs a fresh national registry copy covering their
    // area codes (the gate refuses without one); this one lists a fourth lead, who has consented
    // but is on the registry. (The daytime callees are North American most hours of the day;
    // elsewhere there is no registry layer and that lead is simply called.)
    boolean nanp = ON_REGISTRY.startsWith("+1");
    Accounts.Session supervisor = accounts.user(Role.SUPERVISOR);
    HttpResponse<String> registry =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + PORT
                            + "/api/dnc/registries/US%20national?kind=national&areaCodes=200-999"
                            + "&asOf="
                            + java.time.LocalDate.now(java.time.ZoneOffset.UTC)))
                .header("Authorization", supervisor.authorization())
                .header("Content-Type", "text/plain")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        nanp ? ON_REGISTRY + "\n" : "+19995550000\n"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(registry.statusCode()).as(registry.body()).isEqualTo(200);
    HttpResponse<String> created =
        send(
            "POST",
            "/api/campaigns",
            "application/json",
            "{\"name\": \"Offers\", \"settings\": {\"purpose\": \"telemarketing\", \"agentId\": \""
                + agentId
                + "\", \"callsPerSecond\": 5, \"abandonment\": {\"safeHarbourMessage\":"
                + " \"This was Bella's calling. Call us back on 415 555 0123. Press 9 to opt"
                + " out.\"}}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = JSON.readTree(created.body()).get("id").asString();
    String csv =
        "phone,consent_source,consent_at\n"
            + OPTS_OUT
            + ",web form,2026-01-02\n"
            + CONSENTED
            + ",web form,2026-01-02\n"
            + NO_CONSENT
            + ",,\n"
            + ON_REGISTRY
            + ",web form,2026-01-02\n";
    assertThat(send("POST", "/api/campaigns/" + id + "/leads", "text/csv", csv).statusCode())
        .isEqualTo(201);
    call("POST", "/api/campaigns/" + id + "/start", 200);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "dnc".equals(lead(id, OPTS_OUT).get("status"))
                    && "done".equals(lead(id, CONSENTED).get("status"))
                    && "held".equals(lead(id, NO_CONSENT).get("status"))
                    && (nanp
                        ? "dnc".equals(lead(id, ON_REGISTRY).get("status"))
                        : "done".equals(lead(id, ON_REGISTRY).get("status"))));
    if (nanp) {
      assertThat(lead(id, ON_REGISTRY))
          .containsEntry("last_outcome", "dnc_blocked")
          .containsEntry("attempts", 0);
      assertThat(simCallsTo(List.of(ON_REGISTRY))).isEmpty();
    }
    assertThat(lead(id, OPTS_OUT)).containsEntry("last_outcome", "opted_out");
    assertThat(lead(id, NO_CONSENT))
        .containsEntry("last_outcome", "consent_missing")
        .containsEntry("attempts", 0);
    assertThat(simCallsTo(List.of(NO_CONSENT))).isEmpty();
    // The opt-out is on the company-wide list: no campaign or manual call reaches the number now.
    JsonNode check =
        JSON.readTree(
            send("GET", "/api/dnc/check?phoneNumber=%2B" + OPTS_OUT.substring(1), null, null)
                .body());
    assertThat(check.get("blocked").asBoolean()).isTrue();
  }

  @Test
  void twilioAnswering429HoldsTheAccountAndTheLeadIsTriedAgainWhenTheHoldEnds() throws Exception {
    List<String> leads = MORE_PEOPLE.subList(0, 3);
    String id = campaign("\"callsPerSecond\": 5, \"maxConcurrentCalls\": 3", leads);
    SIM.faults().next(Faults.Target.TWILIO, 1, new Fault.ErrorStatus(429, Duration.ZERO));
    Instant before = Instant.now();
    call("POST", "/api/campaigns/" + id + "/start", 200);
    awaitCompleted(id, Duration.ofSeconds(40));
    // The first request was refused, and the account held for 2 to 4 s on every node: apart from
    // a request already on its way when Twilio answered, nothing reached Twilio before the hold
    // ended.
    List<SimCall> dialled = simCallsTo(leads);
    assertThat(dialled).hasSize(3);
    assertThat(
            dialled.stream()
                .filter(c -> c.created().isBefore(before.plus(Duration.ofMillis(1900))))
                .count())
        .isLessThanOrEqualTo(1);
    assertThat(lead(id, leads.getFirst()))
        .containsEntry("status", "done")
        .containsEntry("attempts", 2);
    assertThat(
            jdbc.sql(
                    "SELECT outcome_reason FROM call_record WHERE campaign_id = :c AND outcome ="
                        + " 'failed'")
                .param("c", UUID.fromString(id))
                .query(String.class)
                .single())
        .contains("429");
  }

  @Test
  void aPacingEditCountsWithinASecond() throws Exception {
    List<String> leads = MORE_PEOPLE.subList(0, 6);
    String id = campaign("\"callsPerSecond\": 0.2, \"maxConcurrentCalls\": 6", leads);
    call("POST", "/api/campaigns/" + id + "/start", 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> simCallsTo(leads).size() == 1);
    // One call every five seconds so far; then ten a second.
    HttpResponse<String> edited =
        send(
            "PUT",
            "/api/campaigns/" + id,
            "application/json",
            "{\"name\": \"Visits\", \"settings\": {\"purpose\": \"informational\", \"agentId\": \""
                + agentId
                + "\", \"callsPerSecond\": 10, \"maxConcurrentCalls\": 6}}");
    assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
    Instant edit = Instant.now();
    await().atMost(Duration.ofSeconds(10)).until(() -> simCallsTo(leads).size() == 6);
    Instant last = simCallsTo(leads).stream().map(SimCall::created).max(Instant::compareTo).get();
    // At the old rate the five would take 25 s; at the new one about half a second, after at most
    // the one slot booked before the edit.
    assertThat(Duration.between(edit, last)).isLessThan(Duration.ofSeconds(7));
    System.out.printf(
        "Pacing edit: the last of five calls went out %d ms after the edit%n",
        Duration.between(edit, last).toMillis());
  }

  @Test
  void
      aLiveAnswerTheAgentCannotSpeakToWithinTwoSecondsHearsTheSafeHarbourMessageAndTheCampaignPausesAtItsLimit()
          throws Exception {
    String message = "This was Bella's calling. Call us back on 415 555 0123. To opt out say stop.";
    String abandonment =
        "\"abandonment\": {\"limitPercent\": 1, \"warnPercent\": 0.5, \"safeHarbourMessage\": \""
            + message
            + "\"}";
    // A first campaign's call goes well, and records the message in the agent's voice meanwhile.
    String first = campaign("\"callsPerSecond\": 5, " + abandonment, List.of(PEOPLE.get(0)));
    call("POST", "/api/campaigns/" + first + "/start", 200);
    awaitCompleted(first, Duration.ofSeconds(30));
    Map<String, Object> fine =
        jdbc.sql("SELECT abandoned, first_agent_audio_ms FROM call_record WHERE campaign_id = :c")
            .param("c", UUID.fromString(first))
            .query()
            .singleRow();
    assertThat(fine.get("abandoned")).isEqualTo(false);
    assertThat(((Number) fine.get("first_agent_audio_ms")).longValue()).isLessThan(2000);

    // Now every new voice socket waits 3 s before its first audio: the greeting comes too late.
    SIM.faults().set(Faults.Target.ELEVENLABS, new Fault.Latency(Duration.ofSeconds(3)));
    List<String> leads = PATIENT.subList(0, 2);
    String second =
        campaign("\"callsPerSecond\": 5, \"maxConcurrentCalls\": 1, " + abandonment, leads);
    call("POST", "/api/campaigns/" + second + "/start", 200);
    // One drop is 1 % of the hundred live answers the control counts at least: the limit.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                call("GET", "/api/campaigns/" + second, 200)
                    .get("status")
                    .asString()
                    .equals("paused"));
    await().atMost(Duration.ofSeconds(20)).until(() -> leadCounts(second).get("dialing") == 0);
    List<SimCall> calls = simCallsTo(leads);
    assertThat(calls).hasSize(1);
    SimCall dropped = calls.getFirst();
    assertThat(dropped.awaitEnd(Duration.ofSeconds(10))).isTrue();
    String heard = normalise(SIM.call(dropped.sid()).heardText());
    assertThat(heard).contains(normalise(message));
    assertThat(heard).doesNotContain("hello");
    Map<String, Object> record =
        jdbc.sql(
                "SELECT outcome, abandoned, first_agent_audio_ms FROM call_record"
                    + " WHERE campaign_id = :c")
            .param("c", UUID.fromString(second))
            .query()
            .singleRow();
    assertThat(record.get("outcome")).isEqualTo("abandoned");
    assertThat(record.get("abandoned")).isEqualTo(true);
    assertThat(((Number) record.get("first_agent_audio_ms")).longValue()).isLessThan(2000);
    JsonNode progress = call("GET", "/api/campaigns/" + second, 200).get("progress");
    assertThat(progress.get("drops").asLong()).isEqualTo(1);
    assertThat(progress.get("liveAnswered").asLong()).isEqualTo(1);
    assertThat(progress.get("dropRate").asDouble()).isEqualTo(1.0);
    // The dropped lead is retried like a failed call; the other was never dialled.
    assertThat(leadCounts(second)).containsEntry("retry_at", 1).containsEntry("pending", 1);
    String reason =
        jdbc.sql(
                "SELECT details FROM audit_log WHERE action = 'campaign.paused'"
                    + " AND target_id = :id")
            .param("id", second)
            .query(String.class)
            .single();
    assertThat(reason).contains("abandonment rate reached its limit");
  }

  @Test
  void aCampaignsUploadedSafeHarbourRecordingIsWhatADropHears() throws Exception {
    String id = campaign("\"callsPerSecond\": 5", List.of(PATIENT.get(2)));
    // A second of audio no voice would make: a rising ramp of μ-law bytes, repeated.
    byte[] recording = new byte[8000];
    for (int i = 0; i < recording.length; i++) {
      recording[i] = (byte) (0x10 + i % 0x60);
    }
    upload(id, "safe-harbour-audio", recording);
    SIM.faults().set(Faults.Target.ELEVENLABS, new Fault.Latency(Duration.ofSeconds(3)));
    call("POST", "/api/campaigns/" + id + "/start", 200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> simCallsTo(List.of(PATIENT.get(2))).size() == 1);
    SimCall dropped = simCallsTo(List.of(PATIENT.get(2))).getFirst();
    assertThat(dropped.awaitEnd(Duration.ofSeconds(15))).isTrue();
    java.io.ByteArrayOutputStream heard = new java.io.ByteArrayOutputStream();
    SIM.call(dropped.sid()).received().forEach(r -> heard.writeBytes(r.payload()));
    assertThat(java.util.Collections.indexOfSubList(toList(heard.toByteArray()), toList(recording)))
        .as("the callee received the whole recording")
        .isNotNegative();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "abandoned"
                    .equals(
                        jdbc.sql("SELECT outcome FROM call_record WHERE campaign_id = :c")
                            .param("c", UUID.fromString(id))
                            .query(String.class)
                            .optional()
                            .orElse(null)));
  }

  /** PUTs {@code mulaw} as a WAV file to the campaign's recording at {@code path}. */
  private void upload(String id, String path, byte[] mulaw) throws Exception {
    HttpRequest upload =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + PORT + "/api/campaigns/" + id + "/" + path))
            .header("Authorization", operator.authorization())
            .header("Content-Type", "audio/wav")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(io.parley.support.Wavs.mulaw(mulaw)))
            .build();
    HttpResponse<String> uploaded = http.send(upload, HttpResponse.BodyHandlers.ofString());
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
  }

  private static List<Byte> toList(byte[] bytes) {
    List<Byte> list = new ArrayList<>(bytes.length);
    for (byte b : bytes) {
      list.add(b);
    }
    return list;
  }

  @Test
  void anAgentWaitingForASlowMachineVerdictSpeaksFirstSoTheAnswerIsNotDropped() throws Exception {
    String id = campaign("\"callsPerSecond\": 5", List.of(SLOW_VERDICT));
    call("POST", "/api/campaigns/" + id + "/start", 200);
    awaitCompleted(id, Duration.ofSeconds(30));
    Map<String, Object> record =
        jdbc.sql(
                "SELECT abandoned, first_agent_audio_ms, answered_by FROM call_record"
                    + " WHERE campaign_id = :c")
            .param("c", UUID.fromString(id))
            .query()
            .singleRow();
    assertThat(record.get("abandoned")).isEqualTo(false);
    assertThat(((Number) record.get("first_agent_audio_ms")).longValue()).isLessThan(2000);
    SimCall placed = simCallsTo(List.of(SLOW_VERDICT)).getFirst();
    assertThat(normalise(SIM.call(placed.sid()).heardText())).contains("hello");
  }

  @Test
  void aCampaignsVoicemailIsLeftWholeAfterTheBeepAndTheLeadIsSettledAsAMachine() throws Exception {
    String id =
        campaign(
            "\"callsPerSecond\": 5, \"amdMode\": \"detect_message_end\","
                + " \"retry\": {\"machine\": {\"delayMinutes\": 60, \"maxAttempts\": 1}},"
                + " \"voicemail\": {\"message\": \""
                + CAMPAIGN_VOICEMAIL
                + "\"}",
            List.of(VOICEMAIL_MACHINE));
    call("POST", "/api/campaigns/" + id + "/start", 200);
    awaitCompleted(id, Duration.ofSeconds(60));

    Map<String, Object> record =
        jdbc.sql(
                "SELECT outcome, answered_by, voicemail_message, abandoned FROM call_record"
                    + " WHERE campaign_id = :c")
            .param("c", UUID.fromString(id))
            .query()
            .singleRow();
    assertThat(record)
        .containsEntry("outcome", "voicemail_left")
        .containsEntry("answered_by", "machine_end_beep")
        .containsEntry("voicemail_message", CAMPAIGN_VOICEMAIL_LEFT)
        .containsEntry("abandoned", false);
    assertThat(lead(id, VOICEMAIL_MACHINE))
        .containsEntry("status", "exhausted")
        .containsEntry("last_outcome", "voicemail_left");
    // The campaign's call spoke before the verdict (the 2 s rule) and was cut at the end of the
    // greeting: the machine recorded the whole message after its beep.
    SimCall placed = simCallsTo(List.of(VOICEMAIL_MACHINE)).getFirst();
    long beepEnd = SIM.call(placed.sid()).media().beepEndMillis();
    assertThat(beepEnd).isPositive();
    assertThat(normalise(SIM.call(placed.sid()).heardTextSince(beepEnd)))
        .contains(normalise(CAMPAIGN_VOICEMAIL_LEFT));
  }

  @Test
  void aCampaignsVoicemailRecordingIsWhatTheMachineRecordsAfterTheBeep() throws Exception {
    // No text message: the recording alone makes the call leave a voicemail.
    String id =
        campaign(
            "\"callsPerSecond\": 5, \"amdMode\": \"detect_message_end\","
                + " \"retry\": {\"machine\": {\"delayMinutes\": 60, \"maxAttempts\": 1}}",
            List.of(RECORDING_MACHINE));
    // A second and a half of audio no voice would make: a rising ramp of μ-law bytes, repeated.
    byte[] recording = new byte[12000];
    for (int i = 0; i < recording.length; i++) {
      recording[i] = (byte) (0x10 + i % 0x60);
    }
    upload(id, "voicemail-audio?fileName=bistro.wav", recording);
    call("POST", "/api/campaigns/" + id + "/start", 200);
    awaitCompleted(id, Duration.ofSeconds(60));

    Map<String, Object> record =
        jdbc.sql(
                "SELECT id, outcome, answered_by, voicemail_message, voicemail_recording, abandoned"
                    + " FROM call_record WHERE campaign_id = :c")
            .param("c", UUID.fromString(id))
            .query()
            .singleRow();
    assertThat(record)
        .containsEntry("outcome", "voicemail_left")
        .containsEntry("answered_by", "machine_end_beep")
        .containsEntry("voicemail_recording", "bistro.wav")
        .containsEntry("abandoned", false);
    assertThat(record.get("voicemail_message")).isNull();
    assertThat(lead(id, RECORDING_MACHINE)).containsEntry("last_outcome", "voicemail_left");
    SimCall placed = simCallsTo(List.of(RECORDING_MACHINE)).getFirst();
    long beepEnd = SIM.call(placed.sid()).media().beepEndMillis();
    assertThat(beepEnd).as("the machine beeped").isPositive();
    // The machine recorded exactly the uploaded audio after its beep, and none of it before.
    assertThat(SIM.call(placed.sid()).heardAudioSince(beepEnd)).isEqualTo(recording);
    java.io.ByteArrayOutputStream before = new java.io.ByteArrayOutputStream();
    SIM.call(placed.sid()).media().played().stream()
        .filter(p -> p.startMicros() < beepEnd * 1000)
        .forEach(p -> before.writeBytes(p.audio()));
    assertThat(
            java.util.Collections.indexOfSubList(
                toList(before.toByteArray()), toList(java.util.Arrays.copyOf(recording, 0x60 * 2))))
        .as("none of the recording played into the greeting")
        .isNegative();
    assertThat(
            jdbc.sql(
                    "SELECT text FROM transcript_segment WHERE call_id = :id AND role = 'agent'"
                        + " ORDER BY seq DESC")
                .param("id", record.get("id"))
                .query(String.class)
                .list())
        .first()
        .isEqualTo("[voicemail recording: bistro.wav]");
  }

  @Test
  void aRecordingRemovedAfterTheDialLeavesTheTextInsteadOrHangsUpWithoutOne() throws Exception {
    String settings =
        "\"callsPerSecond\": 5, \"amdMode\": \"detect_message_end\","
            + " \"retry\": {\"machine\": {\"delayMinutes\": 60, \"maxAttempts\": 1}}";
    byte[] recording = new byte[8000];
    java.util.Arrays.fill(recording, (byte) 0x55);
    // With a text: the call was placed to play the recording, which is gone when it starts.
    String withText =
        campaign(
            settings + ", \"voicemail\": {\"message\": \"" + CAMPAIGN_VOICEMAIL + "\"}",
            List.of(LATE_MACHINE));
    upload(withText, "voicemail-audio?fileName=bistro.wav", recording);
    String withoutText = campaign(settings, List.of(LATE_SILENT_MACHINE));
    upload(withoutText, "voicemail-audio?fileName=bistro.wav", recording);
    for (String id : List.of(withText, withoutText)) {
      call("POST", "/api/campaigns/" + id + "/start", 200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  jdbc.sql(
                          "SELECT voicemail_recording FROM call_record WHERE campaign_id = :c"
                              + " AND twilio_call_sid IS NOT NULL")
                      .param("c", UUID.fromString(id))
                      .query(String.class)
                      .optional()
                      .isPresent());
      HttpResponse<String> removed =
          send("DELETE", "/api/campaigns/" + id + "/voicemail-audio", null, null);
      assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
    }
    awaitCompleted(withText, Duration.ofSeconds(60));
    awaitCompleted(withoutText, Duration.ofSeconds(60));

    SimCall texted = simCallsTo(List.of(LATE_MACHINE)).getFirst();
    long beepEnd = SIM.call(texted.sid()).media().beepEndMillis();
    assertThat(beepEnd).isPositive();
    assertThat(normalise(SIM.call(texted.sid()).heardTextSince(beepEnd)))
        .contains(normalise(CAMPAIGN_VOICEMAIL_LEFT));
    assertThat(outcome(withText)).isEqualTo("voicemail_left");
    SimCall silent = simCallsTo(List.of(LATE_SILENT_MACHINE)).getFirst();
    long silentBeepEnd = SIM.call(silent.sid()).media().beepEndMillis();
    assertThat(silentBeepEnd).isPositive();
    assertThat(SIM.call(silent.sid()).heardAudioSince(silentBeepEnd)).isEmpty();
    assertThat(outcome(withoutText)).isEqualTo("machine");
  }

  private String outcome(String campaignId) {
    return jdbc.sql("SELECT outcome FROM call_record WHERE campaign_id = :c")
        .param("c", UUID.fromString(campaignId))
        .query(String.class)
        .single();
  }

  @Test
  void aPausedCampaignDialsNothingMoreAndCompletesOnceResumedAndDone() throws Exception {
    List<String> leads = MORE_PEOPLE.subList(0, 8);
    String id = campaign("\"callsPerSecond\": 1, \"maxConcurrentCalls\": 8", leads);
    call("POST", "/api/campaigns/" + id + "/start", 200);
    await().atMost(Duration.ofSeconds(20)).until(() -> simCallsTo(leads).size() >= 2);
    call("POST", "/api/campaigns/" + id + "/pause", 200);
    int atPause = simCallsTo(leads).size();
    // Claimed leads waiting for their slot are put back at the slot, not dialled.
    Thread.sleep(3_000);
    assertThat(simCallsTo(leads).size()).isLessThanOrEqualTo(atPause + 1);
    int paused = simCallsTo(leads).size();
    Thread.sleep(1_500);
    assertThat(simCallsTo(leads)).hasSize(paused);
    // The calls placed before the pause end, and their leads are settled while it is paused.
    await().atMost(Duration.ofSeconds(15)).until(() -> leadCounts(id).get("dialing") == 0);
    assertThat(leadCounts(id)).containsEntry("done", paused);
    assertThat(call("GET", "/api/campaigns/" + id, 200).get("progress").get("inCall").asInt())
        .isZero();

    call("POST", "/api/campaigns/" + id + "/resume", 200);
    awaitCompleted(id, Duration.ofSeconds(60));
    assertThat(simCallsTo(leads).stream().map(SimCall::to).distinct().count()).isEqualTo(8);
    assertThat(simCallsTo(leads)).hasSize(8);
    assertThat(leadCounts(id)).containsEntry("done", 8);
  }

  @Test
  void numbersOnTheCampaignsListOrPutOnTheCompanyListAfterTheirClaimAreNotDialled()
      throws Exception {
    List<String> leads = MORE_PEOPLE.subList(8, 12);
    // One call every two seconds: the fourth lead is dialled about six seconds in.
    String id = campaign("\"callsPerSecond\": 0.5, \"maxConcurrentCalls\": 4", leads);
    // The first lead is on the campaign's own list, the last one joins the company's list after
    // it was claimed.
    String first = leads.getFirst();
    assertThat(
            send(
                    "POST",
                    "/api/campaigns/" + id + "/dnc",
                    "application/json",
                    "{\"phoneNumber\": \"" + first + "\", \"reason\": \"client's list\"}")
                .statusCode())
        .isEqualTo(201);
    call("POST", "/api/campaigns/" + id + "/start", 200);
    String last = leads.getLast();
    // A lead is claimed for a slot in the next second (about six seconds in, here): the entry
    // goes in between the claim and the dial.
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> "dialing".equals(lead(id, last).get("status")));
    HttpResponse<String> added =
        send(
            "POST",
            "/api/dnc",
            "application/json",
            "{\"phoneNumber\": \"" + last + "\", \"reason\": \"asked by letter\"}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);

    await().atMost(Duration.ofSeconds(30)).until(() -> "dnc".equals(lead(id, last).get("status")));
    assertThat(lead(id, last))
        .containsEntry("last_outcome", "dnc_blocked")
        .containsEntry("attempts", 0);
    assertThat(simCallsTo(List.of(last))).isEmpty();
    await().atMost(Duration.ofSeconds(30)).until(() -> leadCounts(id).get("done") == 2);
    assertThat(lead(id, first))
        .containsEntry("status", "dnc")
        .containsEntry("last_outcome", "dnc_blocked");
    assertThat(simCallsTo(List.of(first))).isEmpty();
  }

  // ---- scheduled callbacks --------------------------------------------------------------------

  private Map<String, Object> callback(String campaignId, String phone) {
    return jdbc.sql(
            "SELECT status, attempts, last_outcome, next_attempt_at, last_call_id, callback_state,"
                + " callback_at, callback_local, callback_due_at, callback_call_id, callback_source,"
                + " callback_requested_call_id, callback_summary, callback_note FROM campaign_lead"
                + " WHERE campaign_id = :c AND phone_number = :p")
        .param("c", UUID.fromString(campaignId))
        .param("p", phone)
        .query()
        .singleRow();
  }

  private static java.time.ZoneId zoneOf(String phone) {
    return io.parley.compliance.PhoneNumbers.zonesOf(phone).getFirst();
  }

  @Test
  void aDueCallbackIsDialledOnceBeyondTheAttemptCapWithTheSummaryInItsPrompt() throws Exception {
    // The prompt names the variable (an optional one: empty on calls that are not callbacks).
    jdbc.sql(
            "UPDATE prompt_version SET content = :content, variables = :variables WHERE prompt_id"
                + " = :p")
        .param("content", "Remind people of visits. Last time: {{previous_call_summary}}")
        .param(
            "variables",
            "[{\"name\": \"previous_call_summary\", \"required\": false, \"defaultValue\":"
                + " \"nothing\", \"description\": null}]")
        .param("p", PROMPT)
        .update();
    String id = campaign("\"callsPerSecond\": 5, \"maxAttempts\": 1", List.of(CALLED_BACK));
    UUID campaignId = UUID.fromString(id);
    // The lead was called and every attempt used; then the person asked to be called back now.
    jdbc.sql(
            "UPDATE campaign_lead SET status = 'done', attempts = 1, last_outcome = 'completed'"
                + " WHERE campaign_id = :c")
        .param("c", campaignId)
        .update();
    String leadId = leadIdOf(id, CALLED_BACK);
    String now =
        java.time.LocalDateTime.now(zoneOf(CALLED_BACK))
            .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
            .toString();
    HttpResponse<String> booked =
        send(
            "POST",
            "/api/campaigns/" + id + "/leads/" + leadId + "/callback",
            "application/json",
            "{\"at\": \"" + now + "\", \"summary\": \"Asked about parking at the clinic\"}");
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(200);

    call("POST", "/api/campaigns/" + id + "/start", 200);
    awaitCompleted(id, Duration.ofSeconds(40));
    assertThat(simCallsTo(List.of(CALLED_BACK))).hasSize(1);
    Map<String, Object> lead = callback(id, CALLED_BACK);
    assertThat(lead)
        .containsEntry("status", "done")
        .containsEntry("attempts", 2)
        .containsEntry("callback_state", "placed");
    String callId = lead.get("callback_call_id").toString();
    assertThat(lead.get("last_call_id").toString()).isEqualTo(callId);
    // The callback call's prompt had the summary.
    assertThat(
            jdbc.sql("SELECT lead_variables FROM call_record WHERE id = :id")
                .param("id", UUID.fromString(callId))
                .query(String.class)
                .single())
        .contains("previous_call_summary")
        .contains("Asked about parking at the clinic");
    await().atMost(Duration.ofSeconds(10)).until(() -> !SIM.llm().requestsFor(callId).isEmpty());
    assertThat(SIM.llm().requestsFor(callId).getFirst().body().path("messages").get(0).toString())
        .contains("Last time: Asked about parking at the clinic");
    // Once: nothing more is dialled.
    Thread.sleep(1_000);
    assertThat(simCallsTo(List.of(CALLED_BACK))).hasSize(1);
  }

  @Test
  void aCallbackDueOutsideTheWindowIsMovedToItsOpeningAndKeepsTheCampaignRunning()
      throws Exception {
    String id = campaign("\"callsPerSecond\": 5", List.of(AT_NIGHT));
    // A callback booked for now where it is night (the hours changed since, say): due at once.
    Timestamp asked =
        Timestamp.from(
            Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    jdbc.sql(
            "UPDATE campaign_lead SET status = 'callback', next_attempt_at = :at,"
                + " callback_state = 'scheduled', callback_at = :at, callback_local ="
                + " '2026-01-01T03:00', callback_zone = :zone, callback_due_at = :at,"
                + " callback_source = 'user', callback_requested_at = :at,"
                + " callback_prior_status = 'pending' WHERE campaign_id = :c")
        .param("at", asked)
        .param("zone", zoneOf(AT_NIGHT).getId())
        .param("c", UUID.fromString(id))
        .update();
    call("POST", "/api/campaigns/" + id + "/start", 200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "window_blocked".equals(callback(id, AT_NIGHT).get("last_outcome")));
    Map<String, Object> lead = callback(id, AT_NIGHT);
    assertThat(lead)
        .containsEntry("status", "callback")
        .containsEntry("callback_state", "scheduled")
        .containsEntry("attempts", 0)
        .containsEntry("callback_local", "2026-01-01T03:00");
    Instant moved = ((Timestamp) lead.get("next_attempt_at")).toInstant();
    assertThat(moved).isAfter(Instant.now());
    assertThat(((Timestamp) lead.get("callback_due_at")).toInstant()).isEqualTo(moved);
    // The window opens at 08:00 where the number is; the time asked for stays on the lead.
    assertThat(moved.atZone(zoneOf(AT_NIGHT)).toLocalTime())
        .isEqualTo(java.time.LocalTime.of(8, 0));
    assertThat(((Timestamp) lead.get("callback_at")).toInstant()).isEqualTo(asked.toInstant());
    assertThat(lead.get("callback_note").toString()).startsWith("moved: ");
    assertThat(simCallsTo(List.of(AT_NIGHT))).isEmpty();
    // A callback still to be made keeps the campaign from completing.
    Thread.sleep(1_000);
    assertThat(call("GET", "/api/campaigns/" + id, 200).get("status").asString())
        .isEqualTo("running");
  }

  @Test
  void theCalleeAsksForACallbackAndTheAgentsToolBooksItInTheCalleesTime() throws Exception {
    String tomorrow = java.time.LocalDate.now(zoneOf(ASKS_CALLBACK)).plusDays(1) + "T15:00";
    SIM.llm()
        .rules(
            List.of(
                LlmConfig.Rule.userToolCalls(
                    "call me back",
                    LlmConfig.ToolCallStyle.WHOLE,
                    new LlmConfig.ToolCall(
                        "schedule_callback",
                        "{\"at\": \""
                            + tomorrow
                            + "\", \"summary\": \"Wants to talk about the visit tomorrow\"}")),
                LlmConfig.Rule.tool("booked for", "Thank you, we will call you back then.")));
    long version = call("GET", "/api/agents/" + agentId, 200).get("version").asLong();
    HttpResponse<String> updated =
        send(
            "PUT",
            "/api/agents/" + agentId,
            "application/json",
            ("{\"version\": %d, \"name\": \"Reminders\", \"promptId\": \"%s\", \"greeting\": \"Hello!\","
                    + " \"voice\": {\"provider\": \"elevenlabs\", \"voiceId\": \"v1\"},"
                    + " \"llm\": {\"model\": \"grok-3-mini\"}, \"twilioNumber\": \"%s\","
                    + " \"tools\": [{\"type\": \"schedule_callback\"}]}")
                .formatted(version, PROMPT, AGENT_NUMBER));
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    String id = campaign("\"callsPerSecond\": 5", List.of(ASKS_CALLBACK));
    call("POST", "/api/campaigns/" + id + "/start", 200);

    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> "callback".equals(callback(id, ASKS_CALLBACK).get("status")));
    Map<String, Object> lead = callback(id, ASKS_CALLBACK);
    // The call's outcome is recorded; the callback waits for tomorrow afternoon.
    assertThat(lead)
        .containsEntry("last_outcome", "completed")
        .containsEntry("attempts", 1)
        .containsEntry("callback_state", "scheduled")
        .containsEntry("callback_source", "tool")
        .containsEntry("callback_local", tomorrow)
        .containsEntry("callback_summary", "Wants to talk about the visit tomorrow");
    assertThat(lead.get("callback_requested_call_id").toString())
        .isEqualTo(lead.get("last_call_id").toString());
    assertThat(((Timestamp) lead.get("next_attempt_at")).toInstant())
        .isEqualTo(
            java.time.LocalDateTime.parse(tomorrow).atZone(zoneOf(ASKS_CALLBACK)).toInstant());
    // The model was told the time it was booked for.
    String callId = lead.get("last_call_id").toString();
    assertThat(SIM.llm().requestsFor(callId).getLast().body().toString())
        .contains("The callback is booked for");
    assertThat(simCallsTo(List.of(ASKS_CALLBACK))).hasSize(1);
    assertThat(call("GET", "/api/campaigns/" + id, 200).get("status").asString())
        .isEqualTo("running");
  }

  private String leadIdOf(String campaignId, String phone) {
    return jdbc.sql("SELECT id FROM campaign_lead WHERE campaign_id = :c AND phone_number = :p")
        .param("c", UUID.fromString(campaignId))
        .param("p", phone)
        .query(String.class)
        .single();
  }

  /** A second node's dispatcher on the same database (and the same Twilio account). */
  private SimpleMeterRegistry startSecondNode() {
    StaticListableBeanFactory clocks = new StaticListableBeanFactory();
    clocks.addBean("clock", Clock.systemUTC());
    SimpleMeterRegistry nodeB = new SimpleMeterRegistry();
    CampaignDispatcher other =
        new CampaignDispatcher(
            campaigns,
            claims,
            dialing,
            pace,
            new NodeIdentity("node-b", UUID.randomUUID(), Instant.now(), "test", 1, null),
            events,
            nodeB,
            new DispatcherSettings(null),
            clocks.getBeanProvider(Clock.class),
            transactions);
    extraNodes.add(other);
    other.start();
    return nodeB;
  }

  @Test
  void twoCampaignsOnTwoNodesShareTheAccountsCallsPerSecond() throws Exception {
    startSecondNode();
    // Each campaign alone may dial 10 a second; the account (PARLEY_TWILIO_CPS here) allows 10
    // for both together.
    String first =
        campaign("\"callsPerSecond\": 10, \"maxConcurrentCalls\": 20", PAIR.subList(0, 15));
    String second =
        campaign("\"callsPerSecond\": 10, \"maxConcurrentCalls\": 20", PAIR.subList(15, 30));
    call("POST", "/api/campaigns/" + first + "/start", 200);
    call("POST", "/api/campaigns/" + second + "/start", 200);
    awaitCompleted(first, Duration.ofSeconds(60));
    awaitCompleted(second, Duration.ofSeconds(30));
    List<SimCall> dialled = simCallsTo(PAIR);
    assertThat(dialled).hasSize(30);
    List<Instant> created = dialled.stream().map(SimCall::created).sorted().toList();
    double seconds = Duration.between(created.getFirst(), created.getLast()).toMillis() / 1000.0;
    System.out.printf(
        "Two campaigns at 10 calls/s each, account 10: %.2f calls/s together; most in two seconds %d%n",
        (created.size() - 1) / seconds, mostIn(created, Duration.ofSeconds(2)));
    // Unpaced by the account, the two would dial 20 a second: 30 calls in 1.5 s. The arrivals
    // carry each request's own delay (see the 300-lead test), so two seconds may hold a few more
    // than 20. Over the whole run (about 3 s) a first request held up 100 ms by a loaded machine
    // already reads as 10.2 a second, so the run may not exceed 10.5: a pacer off by a fifth
    // would show 12.
    assertThat(mostIn(created, Duration.ofSeconds(2))).isLessThanOrEqualTo(24);
    assertThat((created.size() - 1) / seconds).isLessThanOrEqualTo(10.5);
  }

  @Test
  void twoDispatchersShareACampaignAndNeverDialALeadTwice() throws Exception {
    SimpleMeterRegistry nodeB = startSecondNode();
    List<String> leads = MORE_PEOPLE.subList(12, 20);
    String id = campaign("\"callsPerSecond\": 10, \"maxConcurrentCalls\": 6", leads);
    call("POST", "/api/campaigns/" + id + "/start", 200);
    awaitCompleted(id, Duration.ofSeconds(60));
    assertThat(simCallsTo(leads)).hasSize(8);
    assertThat(simCallsTo(leads).stream().map(SimCall::to).distinct().count()).isEqualTo(8);
    assertThat(maxConcurrent(simCallsTo(leads))).isLessThanOrEqualTo(6);
    double claimedByB =
        nodeB.find("parley.campaign.claims").counters().stream().mapToDouble(c -> c.count()).sum();
    double claimedByA =
        meters.find("parley.campaign.claims").tag("campaign", id).counters().stream()
            .mapToDouble(c -> c.count())
            .sum();
    assertThat(claimedByA + claimedByB).isEqualTo(8);
    System.out.printf(
        "Two dispatchers: node A claimed %.0f leads, node B %.0f%n", claimedByA, claimedByB);
  }

  @Test
  void theClaimsOfADeadNodeReturnToThePoolAndAnAttemptItWroteIsAdoptedNotDialledAgain()
      throws Exception {
    List<String> leads = MORE_PEOPLE.subList(0, 3);
    String id = campaign("\"callsPerSecond\": 5, \"maxConcurrentCalls\": 5", leads);
    UUID campaignId = UUID.fromString(id);
    String claimedOnly = leads.get(0);
    String dialledThenDied = leads.get(1);
    Timestamp past = Timestamp.from(Instant.now().minus(Duration.ofMinutes(2)));
    // A dead node claimed two leads; it wrote an attempt for the second (the line was busy) and
    // died before recording it on the lead.
    jdbc.sql(
            "UPDATE campaign_lead SET status = 'dialing', claimed_by = 'dead-node', lease_until ="
                + " :past WHERE campaign_id = :c AND phone_number IN (:numbers)")
        .param("past", past)
        .param("c", campaignId)
        .param("numbers", List.of(claimedOnly, dialledThenDied))
        .update();
    UUID leadId =
        UUID.fromString(
            jdbc.sql("SELECT id FROM campaign_lead WHERE campaign_id = :c AND phone_number = :p")
                .param("c", campaignId)
                .param("p", dialledThenDied)
                .query(String.class)
                .single());
    UUID attempt =
        records
            .create(
                NewCall.builder(CallDirection.OUTBOUND, AGENT_NUMBER, dialledThenDied)
                    .lead(campaignId, leadId)
                    .idempotencyKey("lead-" + leadId + "-1")
                    .build())
            .id();
    records.applyStatus(attempt, StatusUpdate.of(CallStatus.BUSY, Instant.now()));
    records.finish(attempt, CallOutcome.BUSY, "busy", Instant.now());

    call("POST", "/api/campaigns/" + id + "/start", 200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                leadCounts(id).get("done") == 2
                    && "retry_at".equals(lead(id, dialledThenDied).get("status")));
    assertThat(simCallsTo(List.of(claimedOnly))).hasSize(1);
    assertThat(simCallsTo(List.of(dialledThenDied))).isEmpty();
    assertThat(lead(id, dialledThenDied))
        .containsEntry("attempts", 1)
        .containsEntry("last_outcome", "busy");
  }
}
