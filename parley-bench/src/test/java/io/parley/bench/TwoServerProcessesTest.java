package io.parley.bench;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.sim.CallHandle;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.caller.CallerScript;
import io.parley.sim.caller.CallerScript.OnCue;
import io.parley.sim.caller.CallerScript.Say;
import io.parley.sim.caller.CallerScript.Silence;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.llm.LlmConfig.Rule;
import io.parley.sim.twilio.TwilioConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real Parley processes (the packaged jar, as {@link ServerProcess} runs it for the bench),
 * nodes {@code node-a} and {@code node-b}, on one external database and the simulators of this JVM.
 * The simulated carrier plays the load balancer in front of the media port: it may hand a call's
 * media socket to the node that did not answer its webhook ({@link Sim#routeMediaStreams}).
 *
 * <p>The database is the server {@code PARLEY_DB_URL} names (PostgreSQL or MariaDB, with {@code
 * PARLEY_DB_USER} and {@code PARLEY_DB_PASSWORD}), or the local PostgreSQL ({@code
 * jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}) when it is unset; the test drops
 * and creates a database of its own there, {@code parley_twoproc}. Without PARLEY_DB_URL and
 * without a local PostgreSQL the class is skipped. Both nodes run the reconciler only at start-up
 * (interval 1 h), so what settles a call in the restart scenario is the restarted node's start-up
 * run and nothing else.
 */
@Tag("db")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoServerProcessesTest {
  private static final String AGENT_NUMBER = BargeInMode.IMMEDIATE.agentNumber;
  private static final String GREETING = "Hello, this is the two node line.";
  private static final String HOURS_ANSWER = "We are open from nine to five every day.";
  private static final String FIRST_ANSWER = "Here is the first answer.";
  private static final String SECOND_ANSWER = "Here is the second answer.";
  private static final String DATABASE = "parley_twoproc";
  private static final String JWT_SECRET = "two-server-processes-test-secret-0123456789";
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);

  /** The caller's last step: silence until the test hangs up (no fixed wait for a reply). */
  private static final Silence STAYS_ON_THE_LINE = new Silence(Duration.ofMinutes(10));

  private static Database db;
  private static Sim sim;
  private static Path work;
  private static Node a;
  private static Node b;
  private static ParleyApi api;
  private static String agentId;

  /** Eight callees where it is daytime now (the calling window holds for campaigns). */
  private static final List<String> LEADS = daytimeNumbers(8);

  /** One node: its id and ports (kept across restarts) and its current process. */
  private static final class Node {
    final String id;
    final int port;
    final int mediaPort;
    ServerProcess process;
    int starts;

    Node(String id) throws Exception {
      this.id = id;
      this.port = ServerProcess.freePort();
      this.mediaPort = ServerProcess.freePort();
    }

    void start() throws Exception {
      starts++;
      Map<String, String> env = new HashMap<>();
      env.put("PARLEY_NODE_ID", id);
      env.put("PARLEY_DB_URL", db.url());
      env.put("PARLEY_DB_USER", db.user());
      env.put("PARLEY_DB_PASSWORD", db.password());
      env.put("PARLEY_DB_POOL_SIZE", "5");
      // an access token from one node is good on the other
      env.put("PARLEY_JWT_SECRET", JWT_SECRET);
      env.put("PARLEY_RECONCILER_INTERVAL", "1h");
      // a dead node's campaign claims return after 5 s, not a minute
      env.put("PARLEY_CAMPAIGNS_LEASE", "5s");
      process =
          ServerProcess.start(
              sim,
              serverJar(),
              10,
              work,
              false,
              0,
              List.of(),
              "twoproc-" + id + "-" + starts,
              port,
              mediaPort,
              env);
    }

    /** Where the carrier's media socket lands when the load balancer picks this node. */
    UnaryOperator<URI> mediaRoute() {
      return uri ->
          URI.create(
              "ws://127.0.0.1:"
                  + mediaPort
                  + uri.getRawPath()
                  + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
  }

  @BeforeAll
  static void startTwoNodes() throws Exception {
    db = Database.fromEnvironment();
    db.recreate();
    work = Path.of("target", "twoproc").toAbsolutePath();
    Files.createDirectories(work);
    sim =
        Sim.start(
            SimConfig.defaults()
                .withTwilio(
                    TwilioConfig.defaults()
                        .withNumbers(
                            List.of(new TwilioConfig.PhoneNumber(AGENT_NUMBER, null, null, null)))
                        .withDestinations(
                            LEADS.stream()
                                .collect(
                                    java.util.stream.Collectors.toMap(
                                        n -> n,
                                        n ->
                                            TwilioConfig.Destination.answer(
                                                Duration.ofMillis(100),
                                                CallerScript.of(
                                                    new CallerScript.Hangup(
                                                        Duration.ofSeconds(1))))))))
                .withLlm(
                    LlmConfig.defaults()
                        .withRules(
                            List.of(
                                Rule.user("opening hours", HOURS_ANSWER),
                                Rule.user("first question", FIRST_ANSWER),
                                Rule.user("second question", SECOND_ANSWER)))));
    a = new Node("node-a");
    b = new Node("node-b");
    // one after the other: A migrates the fresh database, B finds it migrated
    a.start();
    b.start();
    // the agent is saved on A, which points the number's voice URL at itself: every webhook of
    // these calls reaches A
    api = new ParleyApi(a.process.base());
    api.login();
    String prompt = api.createPrompt("Two nodes", "You answer briefly.");
    String agent = api.createAgent(prompt, BargeInMode.IMMEDIATE, GREETING);
    api.awaitNumberSynced(agent, Duration.ofSeconds(30));
    agentId = agent;
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (Node node : new Node[] {a, b}) {
      if (node != null && node.process != null) {
        node.process.close();
      }
    }
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  @Order(1)
  void aCallWhoseWebhookReachedAStreamsToBAndRunsToItsEndThere() throws Exception {
    sim.routeMediaStreams(b.mediaRoute());
    CallHandle call =
        sim.placeCall(
            "+14155552001",
            AGENT_NUMBER,
            CallerScript.of(new Say("what are your opening hours"), STAYS_ON_THE_LINE));

    // the caller hears the greeting and the answer, then hangs up
    awaitHeard(call, HOURS_ANSWER);
    call.hangUp();
    assertThat(call.awaitEnd(CALL_TIMEOUT)).isTrue();
    assertThat(call.errors()).isEmpty();
    assertThat(Scenario.normalise(call.heardText())).startsWith(Scenario.normalise(GREETING));

    // A issued the stream token (it answered the webhook), B redeemed it (the socket reached B)
    assertThat(
            db.row(
                "SELECT issued_by, redeemed_by FROM media_stream_token WHERE call_sid = ?",
                call.sid()))
        .containsEntry("issued_by", a.id)
        .containsEntry("redeemed_by", b.id);
    Map<String, String> record = awaitFinished(call.sid());
    assertThat(record)
        .containsEntry("node_id", b.id)
        .containsEntry("status", "completed")
        .containsEntry("outcome", "completed");
    assertThat(transcript(call.sid()))
        .containsSubsequence(
            "agent: " + Scenario.normalise(GREETING),
            "caller: what are your opening hours",
            "agent: " + Scenario.normalise(HOURS_ANSWER));
  }

  @Test
  @Order(2)
  void restartingANodeNeverTouchesTheCallsOfTheOther() throws Exception {
    // on B: a caller who asks, then waits for the test's cue to ask again
    CountDownLatch cue = new CountDownLatch(1);
    sim.routeMediaStreams(b.mediaRoute());
    CallHandle onB =
        sim.placeCall(
            "+14155552002",
            AGENT_NUMBER,
            CallerScript.of(
                new Say("first question"),
                new Say("second question", new OnCue(cue)),
                STAYS_ON_THE_LINE));
    awaitHeard(onB, FIRST_ANSWER);
    // on A: a caller who asks, then stays on the line; it dies with A
    sim.routeMediaStreams(UnaryOperator.identity());
    CallHandle onA =
        sim.placeCall(
            "+14155552003",
            AGENT_NUMBER,
            CallerScript.of(new Say("first question"), STAYS_ON_THE_LINE));
    awaitHeard(onA, FIRST_ANSWER);
    assertThat(
            db.row("SELECT node_id, status FROM call_record WHERE twilio_call_sid = ?", onB.sid()))
        .containsEntry("node_id", b.id)
        .containsEntry("status", "in_progress");
    assertThat(
            db.row("SELECT node_id, status FROM call_record WHERE twilio_call_sid = ?", onA.sid()))
        .containsEntry("node_id", a.id)
        .containsEntry("status", "in_progress");
    // The reconciler only looks at calls older than a minute (CallReconciler.MIN_AGE): both calls
    // are made older instead of waiting, B's the older one, so A's run (oldest first) comes to it
    // before the call of A's own that it does settle.
    db.update(
        "UPDATE call_record SET created_at = created_at - INTERVAL '3' MINUTE"
            + " WHERE twilio_call_sid = ?",
        onB.sid());
    db.update(
        "UPDATE call_record SET created_at = created_at - INTERVAL '2' MINUTE"
            + " WHERE twilio_call_sid = ?",
        onA.sid());

    // A crashes and starts again: same node id, same ports, same database
    a.process.kill();
    a.process.close();
    a.start();

    // A's start-up run settled its previous run's call, and that was the only call it checked
    Map<String, String> orphan = awaitFinished(onA.sid());
    assertThat(orphan).containsEntry("node_id", a.id);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        Files.readAllLines(a.process.log()).stream()
                            .filter(line -> line.contains("Call reconciliation:"))
                            .map(line -> line.substring(line.indexOf("Call reconciliation:")))
                            .toList())
                    .singleElement(as(InstanceOfAssertFactories.STRING))
                    .startsWith(
                        "Call reconciliation: 1 open calls of dead nodes or an earlier run"));
    // B's call was left alone: still talking, still B's, no outcome
    assertThat(onB.status()).isEqualTo("in-progress");
    assertThat(onB.errors()).isEmpty();
    assertThat(
            db.row(
                "SELECT node_id, status, outcome FROM call_record WHERE twilio_call_sid = ?",
                onB.sid()))
        .containsEntry("node_id", b.id)
        .containsEntry("status", "in_progress")
        .containsEntry("outcome", null);

    // and it goes on normally: another turn, then the caller hangs up
    cue.countDown();
    awaitHeard(onB, SECOND_ANSWER);
    onB.hangUp();
    assertThat(onB.awaitEnd(CALL_TIMEOUT)).isTrue();
    assertThat(onB.errors()).isEmpty();
    assertThat(awaitFinished(onB.sid()))
        .containsEntry("node_id", b.id)
        .containsEntry("status", "completed")
        .containsEntry("outcome", "completed");
    assertThat(transcript(onB.sid()))
        .containsSubsequence(
            "caller: first question",
            "agent: " + Scenario.normalise(FIRST_ANSWER),
            "caller: second question",
            "agent: " + Scenario.normalise(SECOND_ANSWER));
  }

  @Test
  @Order(3)
  void aCampaignIsDialledFromBothNodesAndTheClaimsOfAKilledNodeAreDialledOnceByTheOther()
      throws Exception {
    // A was restarted by the test before: sign in on it again.
    api = new ParleyApi(a.process.base());
    api.login();
    String campaign = api.createCampaign("Two nodes", agentId);
    tools.jackson.databind.node.ObjectNode settings =
        tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
    settings.put("name", "Two nodes");
    settings
        .putObject("settings")
        .put("purpose", "informational")
        .put("agentId", agentId)
        .put("callsPerSecond", 0.5)
        .put("maxConcurrentCalls", 8);
    api.put("/api/campaigns/" + campaign, settings);
    String csv = "phone\n" + String.join("\n", LEADS) + "\n";
    api.importLeads(
        campaign,
        () ->
            new java.io.ByteArrayInputStream(
                csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Instant started = Instant.now();
    api.post("/api/campaigns/" + campaign + "/start");

    // Both nodes claim (one takes a batch of five, the other the rest); slots are two seconds
    // apart, so most claims wait. A is killed while it holds claims.
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !claimedBy(campaign, a.id).isEmpty());
    a.process.kill();
    List<String> heldByA = claimedBy(campaign, a.id);
    // What A placed before it died stays with its calls (their callbacks go to the dead node);
    // everything else A held must be dialled by B once its lease has run out.
    await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ofMillis(500)).until(() -> true);
    List<String> dialledByA = dialledBy(campaign, a.id);
    List<String> resumed = heldByA.stream().filter(n -> !dialledByA.contains(n)).toList();
    assertThat(resumed).isNotEmpty();

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> dialledBy(campaign, b.id).containsAll(resumed));
    // Every lead dialled once at most, by one node: at Twilio and in the records.
    Map<String, Long> atTwilio =
        sim.twilio().calls().stream()
            .filter(call -> LEADS.contains(call.to()) && !call.created().isBefore(started))
            .collect(
                java.util.stream.Collectors.groupingBy(
                    call -> call.to(), java.util.stream.Collectors.counting()));
    assertThat(atTwilio.values()).allMatch(count -> count == 1);
    assertThat(
            db.rows(
                "SELECT to_number FROM call_record WHERE CAST(campaign_id AS CHAR(36)) = ?"
                    + " GROUP BY to_number HAVING COUNT(*) > 1",
                campaign))
        .isEmpty();
    // B goes on to dial every lead A never reached.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                db.rows(
                            "SELECT DISTINCT to_number FROM call_record"
                                + " WHERE CAST(campaign_id AS CHAR(36)) = ?",
                            campaign)
                        .size()
                    == LEADS.size());
    System.out.printf(
        "Two processes: A held %d claims when killed (%d dialled), B resumed %d; every lead dialled"
            + " once%n",
        heldByA.size(), dialledByA.size(), resumed.size());
  }

  // ---- helpers ----

  private static List<String> claimedBy(String campaign, String node) throws Exception {
    return db
        .rows(
            "SELECT phone_number FROM campaign_lead WHERE CAST(campaign_id AS CHAR(36)) = ? AND claimed_by = '"
                + node
                + "'",
            campaign)
        .stream()
        .map(row -> row.get("phone_number"))
        .toList();
  }

  private static List<String> dialledBy(String campaign, String node) throws Exception {
    return db
        .rows(
            "SELECT to_number FROM call_record WHERE CAST(campaign_id AS CHAR(36)) = ? AND node_id = '"
                + node
                + "'",
            campaign)
        .stream()
        .map(row -> row.get("to_number"))
        .toList();
  }

  /**
   * Numbers where it is between 10:00 and 17:59 now, as the calling window needs: the first of a
   * few single-zone areas that is in its working day.
   */
  private static List<String> daytimeNumbers(int count) {
    Map<String, java.time.ZoneId> areas = new java.util.LinkedHashMap<>();
    areas.put("+1212555%04d", java.time.ZoneId.of("America/New_York"));
    areas.put("+1415555%04d", java.time.ZoneId.of("America/Los_Angeles"));
    areas.put("+44207946%04d", java.time.ZoneId.of("Europe/London"));
    areas.put("+91987654%04d", java.time.ZoneId.of("Asia/Kolkata"));
    areas.put("+8131234%04d", java.time.ZoneId.of("Asia/Tokyo"));
    areas.put("+6121234%04d", java.time.ZoneId.of("Australia/Sydney"));
    for (Map.Entry<String, java.time.ZoneId> area : areas.entrySet()) {
      int hour = java.time.LocalTime.now(area.getValue()).getHour();
      if (hour >= 10 && hour <= 17) {
        return java.util.stream.IntStream.range(0, count)
            .mapToObj(i -> area.getKey().formatted(7100 + i))
            .toList();
      }
    }
    throw new IllegalStateException("no listed area is in its working day now");
  }

  private static void awaitHeard(CallHandle call, String text) {
    await()
        .atMost(CALL_TIMEOUT)
        .until(() -> Scenario.normalise(call.heardText()).contains(Scenario.normalise(text)));
  }

  /** The call's record once its status is final (the carrier's callback or a reconciler). */
  private static Map<String, String> awaitFinished(String callSid) {
    String query =
        "SELECT node_id, status, status_rank, outcome FROM call_record WHERE twilio_call_sid = ?";
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> db.row(query, callSid), r -> "4".equals(r.get("status_rank")));
  }

  /** "role: normalised text" of each transcript segment, in order. */
  private static List<String> transcript(String callSid) throws SQLException {
    List<String> lines = new ArrayList<>();
    for (Map<String, String> s :
        db.rows(
            "SELECT s.role, s.text FROM transcript_segment s JOIN call_record c ON c.id = s.call_id"
                + " WHERE c.twilio_call_sid = ? ORDER BY s.seq",
            callSid)) {
      lines.add(s.get("role").toLowerCase(Locale.ROOT) + ": " + Scenario.normalise(s.get("text")));
    }
    return lines;
  }

  private static Path serverJar() {
    return Path.of(
        System.getProperty("parley.server.jar", "../parley-server/target/parley-server.jar"));
  }

  /**
   * The external database: {@code url} names the test's own database on the server PARLEY_DB_URL
   * names; {@code adminUrl} is PARLEY_DB_URL itself, where that database is dropped and created.
   */
  record Database(String adminUrl, String url, String user, String password) {
    private static final Pattern JDBC =
        Pattern.compile("(jdbc:(?:postgresql|mariadb)://[^/?]+)(?:/[^?]*)?(\\?.*)?");

    static Database fromEnvironment() {
      String configured = System.getenv("PARLEY_DB_URL");
      boolean local = configured == null || configured.isBlank();
      String admin = local ? "jdbc:postgresql://127.0.0.1:5432/test" : configured;
      String user = local ? "postgres" : System.getenv().getOrDefault("PARLEY_DB_USER", "");
      String password = local ? "" : System.getenv().getOrDefault("PARLEY_DB_PASSWORD", "");
      Matcher m = JDBC.matcher(admin);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "PARLEY_DB_URL is not a PostgreSQL or MariaDB URL: " + admin);
      }
      String url = m.group(1) + "/" + DATABASE + (m.group(2) == null ? "" : m.group(2));
      Database db = new Database(admin, url, user, password);
      if (local) {
        try (Connection c = db.connect(admin)) {
          // reachable
        } catch (SQLException e) {
          Assumptions.abort(
              "no PARLEY_DB_URL and no PostgreSQL at " + admin + ": " + e.getMessage());
        }
      }
      return db;
    }

    boolean mariaDb() {
      return url.startsWith("jdbc:mariadb:");
    }

    /** Drops the test's database and creates it empty, as CI does for its own. */
    void recreate() throws SQLException {
      try (Connection c = connect(adminUrl);
          Statement s = c.createStatement()) {
        if (mariaDb()) {
          s.execute("DROP DATABASE IF EXISTS " + DATABASE);
          s.execute(
              "CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } else {
          s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
          s.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8'");
        }
      }
    }

    Map<String, String> row(String sql, String param) throws SQLException {
      List<Map<String, String>> rows = rows(sql, param);
      assertThat(rows).as(sql + " with " + param).hasSize(1);
      return rows.getFirst();
    }

    List<Map<String, String>> rows(String sql, String param) throws SQLException {
      try (Connection c = connect(url);
          PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, param);
        try (ResultSet rs = ps.executeQuery()) {
          List<Map<String, String>> rows = new ArrayList<>();
          while (rs.next()) {
            Map<String, String> row = new HashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getString(i));
            }
            rows.add(row);
          }
          return rows;
        }
      }
    }

    void update(String sql, String param) throws SQLException {
      try (Connection c = connect(url);
          PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, param);
        assertThat(ps.executeUpdate()).as(sql).isEqualTo(1);
      }
    }

    private Connection connect(String jdbcUrl) throws SQLException {
      return DriverManager.getConnection(jdbcUrl, user, password);
    }
  }
}
