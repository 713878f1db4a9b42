package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.database.ActiveDatabase;
import io.parley.database.DatabaseVendor;
import io.parley.shared.Page;
import io.parley.support.DbTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The call history at scale (issue 17): 10,000 calls of one organisation over 30 days, 52,362
 * transcript segments (6 to 14 for each call that got to talk, about half of them), eight agents,
 * three prompts, five campaigns, recordings, the final and live statuses and outcomes, written with
 * multi-row INSERTs and analysed. Every filter, several combinations and every sort column both
 * ways go through {@link CallQuery#parse} and {@link CallHistory#list} and must return exactly what
 * the same filter and order compute in memory over the generated rows (the total, the first page
 * and a later one). The plans of the main query shapes are read with EXPLAIN: the default order and
 * the selective filters must read {@code call_record} through an index.
 *
 * <p>The calls belong to an organisation of their own, created here and deleted afterwards, so
 * other tests never see them. With {@code -Dparley.history.timings=true} the test also times each
 * query shape (median of warm runs) and writes a table to {@code target/history-timings-*.md}; the
 * figures in docs/calls.md come from there. Nothing is asserted about time. {@code
 * -Dparley.history.keep=true} leaves the calls in the database, to explain queries by hand.
 */
@DbTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallHistoryScaleTest {

  static final int CALLS = 10_000;

  /** The organisation of the generated calls (and nothing else). */
  static final UUID ORG = UUID.fromString("5ca1e000-0017-4000-8000-000000000010");

  private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

  /** 30 days of calls, one every 259 s on average. */
  private static final long SPACING_SECONDS = 259;

  private static final String[] AGENT_NAMES = {
    "Asha", "Bela", "Chitra", "Devi", "Esha", "Farah", "Gita", "आशा"
  };
  private static final int[] AGENT_WEIGHTS = {30, 20, 15, 12, 10, 8, 4, 1};
  private static final String[] PROMPT_NAMES = {"Collections", "Reminders", "Surveys"};
  private static final int[] CAMPAIGN_WEIGHTS = {40, 30, 20, 8, 2};
  private static final String[] LINES = {"+14155550100", "+14155550101", "+14155550102"};
  private static final int[] LINE_WEIGHTS = {60, 35, 5};

  /** A number outbound calls dial again and again (a lead called back): 23 calls. */
  private static final String REDIALLED = "+14156000042";

  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired CallHistory history;
  @Autowired CallSearch search;
  @Autowired ActiveDatabase database;

  private final UUID[] agents = new UUID[AGENT_NAMES.length];
  private final UUID[] prompts = new UUID[PROMPT_NAMES.length];
  private final UUID[] campaigns = new UUID[CAMPAIGN_WEIGHTS.length];
  private final List<Row> rows = new ArrayList<>();
  private int segments;

  /** A generated call, as the list shows it, with its transcript. */
  record Row(
      String id,
      UUID agentId,
      String agentName,
      UUID promptId,
      String promptName,
      Integer promptVersion,
      UUID campaignId,
      CallDirection direction,
      String from,
      String to,
      String twilioCallSid,
      CallStatus status,
      String answeredBy,
      CallOutcome outcome,
      String outcomeReason,
      Instant createdAt,
      Instant startedAt,
      Instant answeredAt,
      Instant endedAt,
      Integer durationSeconds,
      String recordingSid,
      List<String> transcript) {

    CallSummary summary() {
      return new CallSummary(
          UUID.fromString(id),
          agentId,
          agentName,
          promptId,
          promptName,
          promptVersion,
          campaignId,
          direction,
          from,
          to,
          twilioCallSid,
          status,
          answeredBy,
          outcome,
          outcomeReason,
          createdAt,
          startedAt,
          answeredAt,
          endedAt,
          durationSeconds,
          recordingSid != null);
    }

    boolean mentions(String text) {
      String needle = text.toLowerCase(Locale.ROOT);
      return transcript.stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).contains(needle));
    }
  }

  /** The filters that select nothing on purpose. */
  private static final List<String> EMPTY = List.of("campaignId (none)", "q=100_sure", "q=zebra");

  /** A query shape: the API's parameters and the same filter in memory. */
  record Case(String name, Map<String, String> params, Predicate<Row> filter) {}

  @BeforeAll
  void load() throws SQLException {
    long started = System.nanoTime();
    delete();
    long deleted = System.nanoTime();
    generate(new Random(17));
    long generated = System.nanoTime();
    insert();
    long inserted = System.nanoTime();
    analyse();
    long analysed = System.nanoTime();
    System.out.printf(
        "CallHistoryScaleTest on %s: %d calls and %d segments; delete %d ms, generate %d ms,"
            + " insert %d ms, analyse %d ms%n",
        vendor(),
        rows.size(),
        segments,
        (deleted - started) / 1_000_000,
        (generated - deleted) / 1_000_000,
        (inserted - generated) / 1_000_000,
        (analysed - inserted) / 1_000_000);
  }

  /** Removes the calls, unless {@code -Dparley.history.keep=true} keeps them to explore by hand. */
  @AfterAll
  void cleanUp() {
    if (!Boolean.getBoolean("parley.history.keep")) {
      delete();
    }
  }

  @Test
  void everyFilterReturnsWhatTheSameFilterSelectsInMemory() {
    for (Case c : filterCases()) {
      List<Row> expected = rows.stream().filter(c.filter()).sorted(order("-createdAt")).toList();
      if (!EMPTY.contains(c.name())) {
        assertThat(expected).as(c.name() + ": the generated data has matches").isNotEmpty();
      }
      for (int page : new int[] {0, 2}) {
        Map<String, String> params = new LinkedHashMap<>(c.params());
        params.put("size", "50");
        params.put("page", String.valueOf(page));
        Page<CallSummary> result = list(params);
        assertThat(result.total()).as(c.name()).isEqualTo(expected.size());
        assertThat(result.items())
            .as(c.name() + ", page " + page)
            .containsExactlyElementsOf(slice(expected, page * 50, 50));
      }
    }
  }

  @Test
  void everySortColumnBothWaysMatchesTheOrderInMemory() {
    for (String column : CallSort.COLUMNS.keySet()) {
      for (String sort : List.of(column, "-" + column)) {
        List<Row> expected = rows.stream().sorted(order(sort)).toList();
        int last = (expected.size() - 1) / 200;
        for (int page : new int[] {0, 7, last}) {
          Page<CallSummary> result =
              list(Map.of("sort", sort, "size", "200", "page", String.valueOf(page)));
          assertThat(result.total()).as(sort).isEqualTo(CALLS);
          assertThat(result.items())
              .as(sort + ", page " + page)
              .containsExactlyElementsOf(slice(expected, page * 200, 200));
        }
      }
    }
    // A sort under a filter: the filtered rows in the column's order, empty values last.
    for (String sort : List.of("-durationSeconds", "answeredAt", "-agentName")) {
      Predicate<Row> outbound = r -> r.direction() == CallDirection.OUTBOUND;
      List<Row> expected = rows.stream().filter(outbound).sorted(order(sort)).toList();
      Page<CallSummary> result =
          list(Map.of("direction", "outbound", "sort", sort, "size", "100", "page", "3"));
      assertThat(result.total()).isEqualTo(expected.size());
      assertThat(result.items()).as(sort).containsExactlyElementsOf(slice(expected, 300, 100));
    }
  }

  /**
   * The first page of the default order and of each selective filter reads the calls through the
   * index made for it (never the whole table); on PostgreSQL with pg_trgm, the transcript search
   * reads the segments through the trigram index. Unselective filters (direction, a recording, a
   * common status) and the other sort columns are left to the planner: reading most of the calls is
   * what it should do for them.
   */
  @Test
  void plansReadTheCallsThroughAnIndex() {
    Map<String, String[]> expected = new LinkedHashMap<>();
    // Time-ordered shapes: the organisation's (organisation_id, created_at) index, or with one
    // organisation in the table the (created_at) one retention walks (V18): the same order, read
    // backwards, the organisation a filter on the rows.
    String[] byTime = {"call_record_history", "call_record_age"};
    expected.put("none", byTime);
    expected.put("agentId (1 %)", new String[] {"call_record_agent"});
    expected.put("status=in_progress", new String[] {"call_record_status"});
    expected.put("outcome=fax", new String[] {"call_record_outcome"});
    expected.put("answeredBy=machine_end_beep", new String[] {"call_record_answered_by"});
    expected.put("campaignId (2 %)", new String[] {"call_record_campaign"});
    expected.put("fromNumber=" + LINES[2], new String[] {"call_record_from_number"});
    expected.put("toNumber=" + REDIALLED, new String[] {"call_record_to_number"});
    expected.put("from+to (one day)", byTime);
    expected.put(
        "agentId (30 %) + one day",
        new String[] {"call_record_agent", "call_record_history", "call_record_age"});
    expected.put("sort=createdAt", byTime);
    Map<String, Case> cases = new LinkedHashMap<>();
    planCases().forEach(c -> cases.put(c.name(), c));
    for (var entry : expected.entrySet()) {
      Plan plan = plan(cases.get(entry.getKey()).params());
      assertThat(plan.readsCallsThrough(entry.getValue()))
          .as(
              "%s reads call_record through %s:%n%s",
              entry.getKey(), String.join(" or ", entry.getValue()), plan)
          .isTrue();
    }
    if (vendor() == DatabaseVendor.POSTGRESQL && trigramsAvailable()) {
      Plan none = plan(Map.of("q", "zebra"));
      assertThat(none.mentions("transcript_segment_text_trgm")).as("%s", none).isTrue();
      Plan total = countPlan(Map.of("q", "refund"));
      assertThat(total.mentions("transcript_segment_text_trgm")).as("%s", total).isTrue();
    }
  }

  /** pg_trgm can be installed on this server, so V22 must have made the trigram index. */
  private boolean trigramsAvailable() {
    return jdbc.sql("SELECT COUNT(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
            .query(Long.class)
            .single()
        > 0;
  }

  /**
   * Times each query shape: the whole {@link CallHistory#list} (the total and a page of 20 in one
   * read-only transaction, rows mapped), and its two statements alone. Warm: each is run 5 times
   * first, then the median of 15 runs is taken.
   */
  @Test
  void timings() throws IOException {
    Assumptions.assumeTrue(
        Boolean.getBoolean("parley.history.timings"), "-Dparley.history.timings=true times them");
    StringBuilder table = new StringBuilder();
    table.append("| query shape | calls | list ms | total ms | page ms | plan of the page |\n");
    table.append("|---|---:|---:|---:|---:|---|\n");
    for (Case c : planCases()) { // the code paths and caches warm before the first shape is timed
      history.list(ORG, CallQuery.parse(params(c.params())));
    }
    for (Case c : planCases()) {
      CallQuery query = CallQuery.parse(params(c.params()));
      CallSearch.Where where = search.where(ORG, query.filter());
      long total = history.list(ORG, query).total();
      double list = median(() -> history.list(ORG, query));
      double count =
          median(
              () ->
                  jdbc.sql(CallHistory.countSql(where))
                      .params(where.params())
                      .query(Long.class)
                      .single());
      double page =
          median(
              () ->
                  jdbc.sql(CallHistory.pageSql(where, query.sort()))
                      .params(where.params())
                      .param("limit", 20)
                      .param("offset", 0)
                      .query(CallHistory::summary)
                      .list());
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f | %.1f | %.1f | %s |%n",
              c.name(),
              total,
              list,
              count,
              page,
              plan(c.params()).summary()));
    }
    System.out.println(table);
    Path out = Path.of("target", "history-timings-" + vendor() + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
  }

  /** Milliseconds: the median of 15 runs after 5 unmeasured ones. */
  private static double median(Runnable query) {
    for (int i = 0; i < 5; i++) {
      query.run();
    }
    long[] nanos = new long[15];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      query.run();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return nanos[nanos.length / 2] / 1e6;
  }

  // --- The query shapes ---------------------------------------------------------------------

  private List<Case> filterCases() {
    UUID asha = agents[0];
    UUID rare = agents[7];
    String dayStart = "2026-10-10T00:00:00Z";
    String dayEnd = "2026-10-11T00:00:00Z";
    Instant from = Instant.parse(dayStart);
    Instant to = Instant.parse(dayEnd);
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("none", Map.of(), r -> true));
    cases.add(agentCase("agentId (30 %)", asha));
    cases.add(agentCase("agentId (1 %)", rare));
    for (CallDirection d : CallDirection.values()) {
      cases.add(
          new Case(
              "direction=" + d.wire(), Map.of("direction", d.wire()), r -> r.direction() == d));
    }
    for (CallStatus s : List.of(CallStatus.COMPLETED, CallStatus.BUSY, CallStatus.IN_PROGRESS)) {
      cases.add(new Case("status=" + s.wire(), Map.of("status", s.wire()), r -> r.status() == s));
    }
    for (CallOutcome o : List.of(CallOutcome.COMPLETED, CallOutcome.FAX, CallOutcome.ABANDONED)) {
      cases.add(
          new Case("outcome=" + o.wire(), Map.of("outcome", o.wire()), r -> r.outcome() == o));
    }
    for (String by : List.of("human", "machine_end_beep")) {
      cases.add(
          new Case("answeredBy=" + by, Map.of("answeredBy", by), r -> by.equals(r.answeredBy())));
    }
    cases.add(campaignCase("campaignId (40 %)", campaigns[0]));
    cases.add(campaignCase("campaignId (2 %)", campaigns[4]));
    cases.add(campaignCase("campaignId (none)", UUID.randomUUID()));
    for (String number : List.of(LINES[2], "anonymous")) {
      cases.add(
          new Case(
              "fromNumber=" + number, Map.of("fromNumber", number), r -> r.from().equals(number)));
    }
    for (String number : List.of(REDIALLED, LINES[1])) {
      cases.add(
          new Case("toNumber=" + number, Map.of("toNumber", number), r -> r.to().equals(number)));
    }
    cases.add(
        new Case(
            "from+to (one day)",
            Map.of("from", dayStart, "to", dayEnd),
            r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to)));
    cases.add(new Case("from only", Map.of("from", dayStart), r -> !r.createdAt().isBefore(from)));
    cases.add(new Case("to only", Map.of("to", dayEnd), r -> r.createdAt().isBefore(to)));
    cases.add(
        new Case(
            "hasRecording=true", Map.of("hasRecording", "true"), r -> r.recordingSid() != null));
    cases.add(
        new Case(
            "hasRecording=false", Map.of("hasRecording", "false"), r -> r.recordingSid() == null));
    for (String q :
        List.of("refund", "REFUND", "appointment", "100% sure", "100_sure", "नमस्ते", "zebra")) {
      cases.add(new Case("q=" + q, Map.of("q", q), r -> r.mentions(q)));
    }
    cases.add(
        new Case(
            "agentId (30 %) + one day",
            Map.of("agentId", asha.toString(), "from", dayStart, "to", dayEnd),
            r ->
                asha.equals(r.agentId())
                    && !r.createdAt().isBefore(from)
                    && r.createdAt().isBefore(to)));
    cases.add(
        new Case(
            "outcome=completed + q=refund",
            Map.of("outcome", "completed", "q", "refund"),
            r -> r.outcome() == CallOutcome.COMPLETED && r.mentions("refund")));
    cases.add(
        new Case(
            "outbound + campaign (40 %) + no recording",
            Map.of(
                "direction", "outbound",
                "campaignId", campaigns[0].toString(),
                "hasRecording", "false"),
            r ->
                r.direction() == CallDirection.OUTBOUND
                    && campaigns[0].equals(r.campaignId())
                    && r.recordingSid() == null));
    cases.add(
        new Case(
            "toNumber + outbound + q",
            Map.of("toNumber", REDIALLED, "direction", "outbound", "q", "appointment"),
            r ->
                r.to().equals(REDIALLED)
                    && r.direction() == CallDirection.OUTBOUND
                    && r.mentions("appointment")));
    return cases;
  }

  /** The shapes whose plans are printed and timed. */
  private List<Case> planCases() {
    List<Case> cases = new ArrayList<>(filterCases());
    for (String column : CallSort.COLUMNS.keySet()) {
      for (String sort : List.of(column, "-" + column)) {
        cases.add(new Case("sort=" + sort, Map.of("sort", sort), r -> true));
      }
    }
    return cases;
  }

  private Case agentCase(String name, UUID agent) {
    return new Case(name, Map.of("agentId", agent.toString()), r -> agent.equals(r.agentId()));
  }

  private Case campaignCase(String name, UUID campaign) {
    return new Case(
        name, Map.of("campaignId", campaign.toString()), r -> campaign.equals(r.campaignId()));
  }

  // --- The real query path ------------------------------------------------------------------

  private Page<CallSummary> list(Map<String, String> params) {
    return history.list(ORG, CallQuery.parse(params(params)));
  }

  static CallListParams params(Map<String, String> p) {
    return new CallListParams(
        p.get("agentId"),
        p.get("direction"),
        p.get("status"),
        p.get("outcome"),
        p.get("answeredBy"),
        p.get("campaignId"),
        p.get("fromNumber"),
        p.get("toNumber"),
        p.get("from"),
        p.get("to"),
        p.get("hasRecording"),
        p.get("q"),
        p.get("sort"),
        p.get("page"),
        p.get("size"));
  }

  /**
   * The database's plan for the first page of a query (20 rows): PostgreSQL's EXPLAIN lines, or one
   * line per table of MariaDB's EXPLAIN.
   */
  private Plan plan(Map<String, String> params) {
    CallQuery query = CallQuery.parse(params(params));
    CallSearch.Where where = search.where(ORG, query.filter());
    return explain(
        jdbc.sql("EXPLAIN " + CallHistory.pageSql(where, query.sort()))
            .params(where.params())
            .param("limit", 20)
            .param("offset", 0));
  }

  /** The plan of the list's total. */
  private Plan countPlan(Map<String, String> params) {
    CallSearch.Where where = search.where(ORG, CallQuery.parse(params(params)).filter());
    return explain(jdbc.sql("EXPLAIN " + CallHistory.countSql(where)).params(where.params()));
  }

  private Plan explain(JdbcClient.StatementSpec statement) {
    if (vendor() == DatabaseVendor.POSTGRESQL) {
      return new Plan(true, statement.query((rs, row) -> rs.getString(1)).list());
    }
    return new Plan(
        false,
        statement
            .query(
                (ResultSet rs, int row) -> {
                  ResultSetMetaData meta = rs.getMetaData();
                  StringBuilder line = new StringBuilder();
                  for (String column : List.of("table", "type", "key", "rows", "Extra")) {
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                      if (meta.getColumnLabel(i).equalsIgnoreCase(column)) {
                        line.append(column.toLowerCase(Locale.ROOT))
                            .append('=')
                            .append(rs.getString(i))
                            .append(' ');
                      }
                    }
                  }
                  return line.toString().strip();
                })
            .list());
  }

  /** A query plan, as the database printed it. */
  record Plan(boolean postgres, List<String> lines) {

    private static final Pattern COST = Pattern.compile("\\s*\\(cost=[^)]*\\)");
    private static final Pattern STEP = Pattern.compile("(Scan|Sort|Join|Aggregate|Limit)(?! Key)");

    /** Whether {@code call_record c} is read through one of these indexes, and never in full. */
    boolean readsCallsThrough(String... indexes) {
      if (postgres) {
        return lines.stream().noneMatch(l -> l.contains("Seq Scan on call_record c"))
            && lines.stream()
                .anyMatch(
                    l ->
                        l.contains(" on call_record c")
                            && Arrays.stream(indexes).anyMatch(i -> l.contains(" " + i + " ")));
      }
      return lines.stream()
          .filter(l -> l.startsWith("table=c "))
          .allMatch(
              l ->
                  !l.contains("type=ALL ")
                      && Arrays.stream(indexes).anyMatch(i -> l.contains(" key=" + i + " ")));
    }

    boolean mentions(String text) {
      return lines.stream().anyMatch(l -> l.contains(text));
    }

    /** The steps that read and order the calls and segments (the prompt's lookup left out). */
    String summary() {
      if (postgres) {
        return lines.stream()
            .filter(l -> STEP.matcher(l).find() && !l.contains(" prompt p") && !l.contains("Key:"))
            .map(l -> COST.matcher(l).replaceAll("").replace("->", "").strip())
            .filter(l -> !l.equals("Limit") && !l.startsWith("Nested Loop Left Join"))
            .reduce((a, b) -> a + " ← " + b)
            .orElse("");
      }
      return lines.stream()
          .filter(l -> !l.startsWith("table=p "))
          .map(l -> l.replace("extra=null", "").strip())
          .reduce((a, b) -> a + "; " + b)
          .orElse("");
    }

    @Override
    public String toString() {
      return String.join("\n", lines);
    }
  }

  // --- In memory ----------------------------------------------------------------------------

  /**
   * The order {@link CallSort} asks the database for: the column (empty values last in both
   * directions), then the id the same way. The generated text values sort alike under every
   * collation the databases use (code points, {@code utf8mb4_unicode_ci}, {@code ascii_general_ci},
   * glibc's locales): no two differ only in case or punctuation.
   */
  static Comparator<Row> order(String sort) {
    boolean descending = sort.startsWith("-");
    String column = descending ? sort.substring(1) : sort;
    Function<Row, Comparable<?>> key =
        switch (column) {
          case "createdAt" -> Row::createdAt;
          case "startedAt" -> Row::startedAt;
          case "answeredAt" -> Row::answeredAt;
          case "endedAt" -> Row::endedAt;
          case "durationSeconds" -> Row::durationSeconds;
          case "direction" -> r -> r.direction().wire();
          case "from" -> Row::from;
          case "to" -> Row::to;
          case "status" -> r -> r.status().wire();
          case "answeredBy" -> Row::answeredBy;
          case "outcome" -> r -> r.outcome() == null ? null : r.outcome().wire();
          case "agentName" -> Row::agentName;
          case "promptName" -> Row::promptName;
          case "promptVersion" -> Row::promptVersion;
          case "hasRecording" -> r -> r.recordingSid() == null ? 0 : 1;
          default -> throw new IllegalArgumentException(sort);
        };
    Comparator<Row> values =
        (a, b) -> {
          @SuppressWarnings("unchecked")
          Comparable<Object> x = (Comparable<Object>) key.apply(a);
          Comparable<?> y = key.apply(b);
          if (x == null || y == null) {
            return x == null && y == null ? 0 : x == null ? 1 : -1; // empty last both ways
          }
          return descending ? -x.compareTo(y) : x.compareTo(y);
        };
    Comparator<Row> byId = Comparator.comparing(Row::id);
    return values.thenComparing(descending ? byId.reversed() : byId);
  }

  private static List<CallSummary> slice(List<Row> rows, int from, int size) {
    if (from >= rows.size()) {
      return List.of();
    }
    return rows.subList(from, Math.min(rows.size(), from + size)).stream()
        .map(Row::summary)
        .toList();
  }

  // --- The data -----------------------------------------------------------------------------

  private static final String[] OPENINGS = {
    "Hello, this is %s calling from the clinic about your appointment on Tuesday.",
    "Good morning! I am calling to confirm the appointment you booked last week.",
    "Hi, %s here. Do you have a minute to talk about your account?",
    "नमस्ते, मैं %s बोल रही हूँ, आपके अपॉइंटमेंट के बारे में।",
  };
  private static final String[] AGENT_LINES = {
    "Could you confirm your date of birth for me, please?",
    "Thank you. I can see two open items on your account.",
    "Would Thursday at ten in the morning work for you instead?",
    "I have noted that down and you will get a message shortly.",
    "Is there anything else I can help you with today?",
    "The balance was settled on the fourth, so nothing is due now.",
    "Let me check that for you, it will take a moment.",
  };
  private static final String[] CALLER_LINES = {
    "Yes, that is me. Who is calling?",
    "I cannot make it on Tuesday, can we move it?",
    "Sure, go ahead.",
    "I would like a Refund for the last payment, it was charged twice.",
    "No, that is all, thank you very much.",
    "Can you call me back later in the afternoon?",
    "I am 100% sure I paid that already.",
    "हाँ, बोलिए।",
    "Okay, Thursday works.",
  };

  private void generate(Random random) {
    for (int i = 0; i < agents.length; i++) {
      agents[i] = id(0xa9e17000 + i);
    }
    for (int i = 0; i < prompts.length; i++) {
      prompts[i] = id(0x9303e000 + i);
    }
    for (int i = 0; i < campaigns.length; i++) {
      campaigns[i] = id(0xca3a1000 + i);
    }
    List<String> callers = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      callers.add(String.format(Locale.ROOT, "+1650555%04d", i));
    }
    callers.add("anonymous");
    callers.add("client:alice");
    Instant previous = T0;
    for (int i = 0; i < CALLS; i++) {
      // The first 8 hex digits are random, so id order is not creation order; the middle groups
      // are fixed so that every database orders the ids as their text.
      String id = String.format(Locale.ROOT, "%08x-5ca1-4000-8000-%012x", random.nextInt(), i);
      Instant createdAt =
          i % 53 == 52
              ? previous // two calls in one instant: the id decides
              : T0.plusMillis(i * SPACING_SECONDS * 1000 + random.nextInt(200_000));
      previous = createdAt;
      boolean live = i >= CALLS - 30 && random.nextInt(3) == 0;
      rows.add(call(random, id, createdAt, live, callers));
    }
  }

  private Row call(
      Random random, String id, Instant createdAt, boolean live, List<String> callers) {
    CallDirection direction =
        random.nextInt(4) == 0 ? CallDirection.INBOUND : CallDirection.OUTBOUND;
    int agent = pick(random, AGENT_WEIGHTS);
    UUID agentId = agents[agent];
    String agentName = AGENT_NAMES[agent];
    UUID promptId = prompts[agent % prompts.length];
    Integer promptVersion = 1 + random.nextInt(4);
    UUID campaignId = null;
    String from;
    String to;
    if (direction == CallDirection.OUTBOUND) {
      from = LINES[pick(random, LINE_WEIGHTS)];
      to =
          random.nextInt(250) == 0
              ? REDIALLED
              : String.format(Locale.ROOT, "+1415600%04d", random.nextInt(3000));
      if (random.nextInt(10) < 6) {
        campaignId = campaigns[pick(random, CAMPAIGN_WEIGHTS)];
      }
    } else {
      from = callers.get(random.nextInt(callers.size()));
      to = LINES[random.nextInt(2)];
    }
    CallStatus status;
    String answeredBy = null;
    CallOutcome outcome;
    String reason = null;
    boolean talked = false;
    int roll = random.nextInt(1000);
    if (live) {
      status = random.nextBoolean() ? CallStatus.IN_PROGRESS : CallStatus.RINGING;
      outcome = null;
      talked = status == CallStatus.IN_PROGRESS;
    } else if (direction == CallDirection.INBOUND) {
      if (roll < 20) {
        // Parley declined the call: no agent answers the number.
        status = CallStatus.COMPLETED;
        outcome = CallOutcome.REJECTED;
        reason = "no agent for " + to;
        agentId = null;
        agentName = null;
        promptId = null;
        promptVersion = null;
      } else if (roll < 70) {
        status = CallStatus.CANCELED;
        outcome = CallOutcome.CANCELED;
      } else {
        status = CallStatus.COMPLETED;
        outcome = CallOutcome.COMPLETED;
        reason = "caller hung up";
        talked = true;
      }
    } else if (roll < 500) {
      status = CallStatus.COMPLETED;
      int verdict = random.nextInt(100);
      if (verdict < 78) {
        answeredBy = "human";
        talked = true;
        int end = random.nextInt(100);
        outcome =
            end < 85
                ? CallOutcome.COMPLETED
                : end < 89
                    ? CallOutcome.OPTED_OUT
                    : end < 93
                        ? CallOutcome.TRANSFERRED
                        : end < 95
                            ? CallOutcome.MAX_DURATION
                            : end < 97 ? CallOutcome.SYSTEM_ERROR : CallOutcome.ABANDONED;
        reason = outcome == CallOutcome.COMPLETED ? "end_call: goodbye" : null;
        if (outcome == CallOutcome.ABANDONED) {
          talked = false;
        }
      } else if (verdict < 92) {
        answeredBy = "machine_start";
        outcome = CallOutcome.MACHINE;
      } else if (verdict < 96) {
        answeredBy = "machine_end_beep";
        outcome = CallOutcome.MACHINE;
      } else if (verdict < 98) {
        answeredBy = "fax";
        outcome = CallOutcome.FAX;
      } else {
        answeredBy = "unknown";
        outcome = CallOutcome.COMPLETED;
        talked = true;
      }
    } else if (roll < 750) {
      status = CallStatus.NO_ANSWER;
      outcome = CallOutcome.NO_ANSWER;
    } else if (roll < 850) {
      status = CallStatus.BUSY;
      outcome = CallOutcome.BUSY;
    } else if (roll < 950) {
      status = CallStatus.FAILED;
      outcome = CallOutcome.FAILED;
      reason = "carrier error 32009";
    } else {
      status = CallStatus.CANCELED;
      outcome = CallOutcome.CANCELED;
    }
    boolean answered =
        status == CallStatus.IN_PROGRESS
            || (status == CallStatus.COMPLETED && outcome != CallOutcome.REJECTED);
    Instant startedAt =
        status == CallStatus.FAILED && random.nextBoolean()
            ? null
            : createdAt.plusMillis(500 + random.nextInt(2500));
    Instant answeredAt =
        answered && startedAt != null ? startedAt.plusSeconds(3 + random.nextInt(20)) : null;
    Integer duration = null;
    Instant endedAt = null;
    if (status.terminal() && startedAt != null) {
      duration = answeredAt == null ? 0 : 5 + random.nextInt(600);
      endedAt =
          answeredAt == null
              ? startedAt.plusSeconds(1 + random.nextInt(30))
              : answeredAt.plusSeconds(duration);
    }
    String sid = random.nextInt(100) == 0 ? null : "CA" + id.replace("-", "");
    String recording =
        answered && status.terminal() && random.nextInt(10) < 6 ? "RE" + id.replace("-", "") : null;
    List<String> transcript = talked ? transcript(random, agentName) : List.of();
    segments += transcript.size();
    return new Row(
        id,
        agentId,
        agentName,
        promptId,
        promptId == null ? null : PROMPT_NAMES[agentIndex(agentId) % PROMPT_NAMES.length],
        promptVersion,
        campaignId,
        direction,
        from,
        to,
        sid,
        status,
        answeredBy,
        outcome,
        reason,
        createdAt,
        startedAt,
        answeredAt,
        endedAt,
        duration,
        recording,
        transcript);
  }

  private int agentIndex(UUID agent) {
    return Arrays.asList(agents).indexOf(agent);
  }

  /** 6 to 14 segments, agent and caller in turn; a few calls mention a refund or "100% sure". */
  private static List<String> transcript(Random random, String agentName) {
    int count = 6 + random.nextInt(9);
    List<String> lines = new ArrayList<>(count);
    String name = agentName == null ? "Parley" : agentName;
    lines.add(String.format(Locale.ROOT, OPENINGS[random.nextInt(OPENINGS.length)], name));
    for (int i = 1; i < count; i++) {
      String[] pool = i % 2 == 1 ? CALLER_LINES : AGENT_LINES;
      String line = pool[random.nextInt(pool.length)];
      if (line.contains("Refund") && random.nextInt(10) != 0) {
        line = "Can you hold on a second?"; // refunds are rarer than the other lines
      }
      if (line.contains("Refund") && random.nextBoolean()) {
        line = line.replace("Refund", "REFUND");
      }
      lines.add(line);
    }
    return lines;
  }

  private static int pick(Random random, int[] weights) {
    int total = Arrays.stream(weights).sum();
    int roll = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return i;
      }
    }
    throw new IllegalStateException();
  }

  private static UUID id(int prefix) {
    return UUID.fromString(String.format(Locale.ROOT, "%08x-5ca1-4000-8000-000000000000", prefix));
  }

  // --- Writing and removing -----------------------------------------------------------------

  private void insert() throws SQLException {
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement org =
          connection.prepareStatement("INSERT INTO organisation (id, name) VALUES (?, ?)")) {
        org.setString(1, ORG.toString());
        org.setString(2, "History at scale (test)");
        org.executeUpdate();
      }
      try (PreparedStatement prompt =
          connection.prepareStatement(
              "INSERT INTO prompt (id, organisation_id, name, current_version, created_at,"
                  + " created_by_id, updated_at) VALUES (?, ?, ?, 4, ?, ?, ?)")) {
        for (int i = 0; i < prompts.length; i++) {
          prompt.setString(1, prompts[i].toString());
          prompt.setString(2, ORG.toString());
          prompt.setString(3, PROMPT_NAMES[i]);
          prompt.setTimestamp(4, now);
          prompt.setString(5, ORG.toString());
          prompt.setTimestamp(6, now);
          prompt.executeUpdate();
        }
      }
      try (PreparedStatement agent =
          connection.prepareStatement(
              "INSERT INTO agent (id, organisation_id, name, prompt_id, prompt_version, config,"
                  + " version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, '{}', 1, ?, ?)")) {
        for (int i = 0; i < agents.length; i++) {
          agent.setString(1, agents[i].toString());
          agent.setString(2, ORG.toString());
          agent.setString(3, AGENT_NAMES[i]);
          agent.setString(4, prompts[i % prompts.length].toString());
          agent.setTimestamp(5, now);
          agent.setTimestamp(6, now);
          agent.executeUpdate();
        }
      }
      insertCalls(connection);
      insertSegments(connection);
      connection.commit();
    }
  }

  private void insertCalls(Connection connection) throws SQLException {
    List<Object[]> values = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Timestamp updated = Timestamp.from(r.endedAt() != null ? r.endedAt() : r.createdAt());
      values.add(
          new Object[] {
            r.id(),
            ORG.toString(),
            text(r.agentId()),
            r.agentName() == null ? null : "{\"name\": \"" + r.agentName() + "\"}",
            r.agentName(),
            text(r.promptId()),
            r.promptVersion(),
            r.direction().wire(),
            r.from(),
            r.to(),
            r.twilioCallSid(),
            r.status().wire(),
            r.status().rank(),
            r.answeredBy(),
            r.outcome() == null ? null : r.outcome().wire(),
            r.outcomeReason(),
            Timestamp.from(r.createdAt()),
            updated,
            time(r.startedAt()),
            time(r.answeredAt()),
            time(r.endedAt()),
            r.durationSeconds(),
            r.recordingSid(),
            r.recordingSid() == null
                ? null
                : "https://api.twilio.com/2010-04-01/Recordings/" + r.recordingSid(),
            r.recordingSid() == null ? null : r.durationSeconds(),
            r.transcript().size(),
            0,
            0,
            text(r.campaignId())
          });
    }
    insertRows(
        connection,
        "call_record",
        columns(
            "id, organisation_id, agent_id, agent_snapshot, agent_name, prompt_id, prompt_version,"
                + " direction, from_number, to_number, twilio_call_sid, status, status_rank,"
                + " answered_by, outcome, outcome_reason, created_at, updated_at, started_at,"
                + " answered_at, ended_at, duration_seconds, recording_sid, recording_url,"
                + " recording_duration_seconds, segment_count, tool_invocation_count, turn_count,"
                + " campaign_id"),
        values);
  }

  private void insertSegments(Connection connection) throws SQLException {
    List<Object[]> values = new ArrayList<>(segments);
    for (Row r : rows) {
      long at = 0;
      for (int seq = 1; seq <= r.transcript().size(); seq++) {
        String text = r.transcript().get(seq - 1);
        long length = 40L * text.length();
        values.add(
            new Object[] {
              r.id(),
              seq,
              ORG.toString(),
              seq % 2 == 1 ? "agent" : "caller",
              text,
              at,
              at + length,
              false,
              Timestamp.from(r.answeredAt().plusMillis(at + length))
            });
        at += length + 300;
      }
    }
    insertRows(
        connection,
        "transcript_segment",
        columns(
            "call_id, seq, organisation_id, role, text, start_ms, end_ms, interrupted, created_at"),
        values);
  }

  /**
   * Writes rows 250 to a statement ({@code INSERT … VALUES (…), (…), …}): a few hundred round trips
   * for the whole history on either database, where one statement per row would take thousands.
   */
  private static void insertRows(
      Connection connection, String table, List<String> columns, List<Object[]> values)
      throws SQLException {
    String row = "(" + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
    String head = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ";
    int chunk = 250;
    for (int start = 0; start < values.size(); start += chunk) {
      List<Object[]> part = values.subList(start, Math.min(values.size(), start + chunk));
      String sql = head + String.join(", ", Collections.nCopies(part.size(), row));
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int index = 1;
        for (Object[] value : part) {
          for (Object v : value) {
            bind(statement, index++, v);
          }
        }
        statement.executeUpdate();
      }
    }
  }

  private static void bind(PreparedStatement statement, int index, Object value)
      throws SQLException {
    switch (value) {
      case null -> statement.setNull(index, Types.VARCHAR);
      case String text -> statement.setString(index, text);
      case Integer number -> statement.setInt(index, number);
      case Long number -> statement.setLong(index, number);
      case Boolean flag -> statement.setBoolean(index, flag);
      case Timestamp time -> statement.setTimestamp(index, time);
      default -> throw new IllegalArgumentException("No binding for " + value.getClass());
    }
  }

  private static List<String> columns(String names) {
    return List.of(names.split(", "));
  }

  private static String text(UUID value) {
    return value == null ? null : value.toString();
  }

  private static Timestamp time(Instant value) {
    return value == null ? null : Timestamp.from(value);
  }

  /** Fresh statistics, as the database's own maintenance would have them after such a load. */
  private void analyse() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      if (vendor() == DatabaseVendor.POSTGRESQL) {
        statement.execute("VACUUM ANALYZE call_record");
        statement.execute("VACUUM ANALYZE transcript_segment");
        statement.execute("ANALYZE prompt");
      } else {
        statement.execute("ANALYZE TABLE call_record, transcript_segment, prompt");
      }
    }
  }

  /** Removes the organisation and everything generated for it (also a crashed run's leftovers). */
  private void delete() {
    String org = ORG.toString();
    for (String table : List.of("transcript_segment", "call_record", "agent", "prompt")) {
      jdbc.sql("DELETE FROM " + table + " WHERE organisation_id = :org").param("org", org).update();
    }
    jdbc.sql("DELETE FROM organisation WHERE id = :org").param("org", org).update();
  }

  private DatabaseVendor vendor() {
    return database.vendor();
  }
}
