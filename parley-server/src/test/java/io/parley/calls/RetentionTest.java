package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.support.DatabaseCleaner;
import io.parley.support.SimTwilio;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Retention on the real database and the Twilio simulator, its clock moved by passing the pass's
 * instant: recordings go after 30 days (at Twilio too), transcripts and extracted data after 60,
 * call records after 90 (configured below five years on purpose), in batches of two; a call on
 * legal hold keeps everything; every pass is counted and audited.
 */
@Tag("db")
@SpringBootTest
@ActiveProfiles("test")
class RetentionTest {

  @AutoClose
  private static final Sim SIM = Sim.start(SimConfig.defaults().withTwilio(SimTwilio.owning()));

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    io.parley.support.SimProviders.twilio(registry, SIM);
    registry.add("parley.retention.recording-days", () -> "30");
    registry.add("parley.retention.transcript-days", () -> "60");
    registry.add("parley.retention.extracted-data-days", () -> "60");
    registry.add("parley.retention.analysis-days", () -> "45");
    registry.add("parley.retention.call-record-days", () -> "90");
    registry.add("parley.retention.call-record-days-below-five-years", () -> "true");
    registry.add("parley.retention.batch-size", () -> "2");
  }

  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired CallRecords records;
  @Autowired RetentionPurge retention;
  @Autowired RetentionJob job;
  @Autowired MeterRegistry meters;

  private final Instant start = Instant.now();

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    CallFixtures.createAgents(dataSource);
  }

  @Test
  void eachKindGoesAtItsAgeAndAHeldCallKeepsEverything() {
    List<Call> free = List.of(call("CAold1"), call("CAold2"), call("CAold3"));
    Call held = call("CAheld");
    jdbc.sql(
            "UPDATE call_record SET legal_hold = TRUE, legal_hold_reason = 'Case 7' WHERE id = :id")
        .param("id", held.id())
        .update();
    double recordingsBefore = purged("recording");
    for (Call call : List.of(free.get(0), free.get(1), free.get(2), held)) {
      records.recordAnalysis(
          call.id(),
          new CallAnalysis(
              CallAnalysis.Status.DONE,
              "Priya confirmed.",
              null,
              "positive",
              "{\"day\": \"Friday\"}",
              null,
              "xai",
              "grok",
              10,
              5,
              1,
              null));
    }

    // Day 29: nothing is old enough.
    assertThat(retention.purge(start.plus(Duration.ofDays(29))))
        .isEqualTo(new RetentionPurge.Report(0, 0, 0, 0, 0, 0));

    // Day 31: recordings, at Twilio and here; in batches of two, all three go.
    assertThat(retention.purge(start.plus(Duration.ofDays(31))))
        .isEqualTo(new RetentionPurge.Report(3, 0, 0, 0, 0, 0));
    for (Call call : free) {
      assertThat(SIM.twilio().hasRecording(call.recordingSid())).isFalse();
      assertThat(column(call, "recording_sid")).isNull();
      assertThat(column(call, "recording_deleted_at")).isNotNull();
      assertThat(segments(call)).isEqualTo(2);
    }
    assertThat(SIM.twilio().hasRecording(held.recordingSid())).isTrue();
    assertThat(purged("recording") - recordingsBefore).isEqualTo(3);
    assertThat(audit("recording.deleted")).hasSize(3);

    // Day 46: post-call analyses.
    assertThat(retention.purge(start.plus(Duration.ofDays(46))))
        .isEqualTo(new RetentionPurge.Report(0, 0, 0, 0, 0, 3));
    for (Call call : free) {
      assertThat(records.analysis(call.id())).isEmpty();
    }
    assertThat(records.analysis(held.id())).isPresent();

    // Day 61: transcripts and extracted data (answers, tool arguments and results, lead data).
    assertThat(retention.purge(start.plus(Duration.ofDays(61))))
        .isEqualTo(new RetentionPurge.Report(0, 3, 3, 0, 0, 0));
    for (Call call : free) {
      assertThat(segments(call)).isZero();
      assertThat(column(call, "transcript_purged_at")).isNotNull();
      assertThat(column(call, "extracted_data")).isNull();
      assertThat(column(call, "lead_variables")).isNull();
      assertThat(toolArguments(call)).doesNotContain("Priya");
      // The detail record stays: numbers, times, outcome, agent and prompt version.
      assertThat(column(call, "to_number")).isEqualTo("+14155550123");
      assertThat(column(call, "prompt_version")).isNotNull();
    }
    // A second pass finds nothing new.
    assertThat(retention.purge(start.plus(Duration.ofDays(62))))
        .isEqualTo(new RetentionPurge.Report(0, 0, 0, 0, 0, 0));

    // Day 91: the call records themselves.
    assertThat(retention.purge(start.plus(Duration.ofDays(91))))
        .isEqualTo(new RetentionPurge.Report(0, 0, 0, 3, 0, 0));
    assertThat(jdbc.sql("SELECT id FROM call_record").query(String.class).list())
        .containsExactly(held.id().toString());

    // The held call kept everything, ten years on.
    assertThat(retention.purge(start.plus(Duration.ofDays(3650))).callRecords()).isZero();
    assertThat(segments(held)).isEqualTo(2);
    assertThat(column(held, "extracted_data")).contains("Priya");
    assertThat(column(held, "recording_sid")).isEqualTo(held.recordingSid());
    assertThat(toolArguments(held)).contains("Priya");
    assertThat(records.analysis(held.id())).isPresent();
    assertThat(audit("retention.purged")).hasSize(7);
  }

  @Test
  void oneJobADayHoweverManyNodesStart() {
    jdbc.sql("DELETE FROM job").update();
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    assertThat(job.scheduleNext(now)).isEqualTo(Instant.parse("2026-12-08T03:00:00Z"));
    job.scheduleNext(now.plusSeconds(5));
    assertThat(job.scheduleNext(Instant.parse("2026-12-08T02:59:00Z")))
        .isEqualTo(Instant.parse("2026-12-08T03:00:00Z"));
    assertThat(
            jdbc.sql("SELECT dedupe_key FROM job WHERE kind = :kind")
                .param("kind", RetentionJob.KIND)
                .query(String.class)
                .list())
        .containsExactly(RetentionJob.KIND + ":" + LocalDate.of(2026, 12, 8));
    assertThat(
            job.scheduleNext(Instant.parse("2026-12-08T03:00:00Z"))
                .atZone(ZoneOffset.UTC)
                .toLocalDate())
        .isEqualTo(LocalDate.of(2026, 12, 9));
  }

  record Call(UUID id, String recordingSid) {}

  private Call call(String callSid) {
    UUID id = records.create(CallFixtures.outbound("+14155550123").callSid(callSid).build()).id();
    records.appendSegment(id, new NewSegment(SegmentRole.AGENT, "Hello, Priya?", 0L, 900L, false));
    records.appendSegment(id, new NewSegment(SegmentRole.CALLER, "Speaking.", 1000L, 1500L, false));
    records.appendToolInvocation(
        id,
        new NewToolInvocation(
            "record_answer",
            "call_1",
            "{\"name\": \"Priya\"}",
            "{\"ok\": true}",
            ToolStatus.OK,
            Instant.now(),
            3L));
    records.recordAnswer(id, "{\"name\": \"Priya\"}");
    String sid = SIM.twilio().holdRecording(callSid, new byte[] {'R', 'I', 'F', 'F', 1, 2}, 1);
    records.recordRecording(
        id, new Recording(sid, SIM.twilioApiUrl() + "/2010-04-01/Recordings/" + sid, 1));
    return new Call(id, sid);
  }

  private String column(Call call, String column) {
    return jdbc.sql("SELECT " + column + " FROM call_record WHERE id = :id")
        .param("id", call.id())
        .query((rs, n) -> java.util.Optional.ofNullable(rs.getString(1)))
        .single()
        .orElse(null);
  }

  private int segments(Call call) {
    return jdbc.sql("SELECT COUNT(*) FROM transcript_segment WHERE call_id = :id")
        .param("id", call.id())
        .query(Integer.class)
        .single();
  }

  private String toolArguments(Call call) {
    return String.join(
        " ",
        jdbc.sql("SELECT arguments, result FROM call_tool_invocation WHERE call_id = :id")
            .param("id", call.id())
            .query((rs, n) -> rs.getString(1) + " " + rs.getString(2))
            .list());
  }

  private double purged(String kind) {
    var counter = meters.find("parley.retention.purged").tag("kind", kind).counter();
    return counter == null ? 0 : counter.count();
  }

  private List<String> audit(String action) {
    return jdbc.sql("SELECT details FROM audit_log WHERE action = :action")
        .param("action", action)
        .query(String.class)
        .list();
  }
}
