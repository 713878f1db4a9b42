package io.parley.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.Organisations;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Registry lists through the API and the gate's question, on PostgreSQL and MariaDB. */
@DbTest
@RecordApplicationEvents
class RegistryApiTest {

  static final UUID USER = UUID.fromString("55555555-5555-5555-5555-555555555555");
  static final UUID ORG = Organisations.DEFAULT_ID;
  static final JsonMapper MAPPER = JsonMapper.builder().build();
  static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired ApplicationEvents events;
  @Autowired RegistryService registries;
  @Autowired RegistryImporter importer;
  @Autowired RegistryPurge purge;
  @Autowired RegistryHealthIndicator health;

  static RequestPostProcessor as(String role) {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "sup@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_" + role));
  }

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
  }

  ResultActions upload(String name, String query, String contentType, byte[] body)
      throws Exception {
    return mvc.perform(
        put("/api/dnc/registries/" + name + "?" + query)
            .with(as("SUPERVISOR"))
            .contentType(contentType)
            .content(body));
  }

  ResultActions upload(String name, String query, String body) throws Exception {
    return upload(name, query, "text/plain", body.getBytes(StandardCharsets.US_ASCII));
  }

  static JsonNode body(ResultActions result) throws Exception {
    return MAPPER.readTree(result.andReturn().getResponse().getContentAsString());
  }

  RegistryLayer.Verdict check(String number) {
    return registries.check(ORG, number);
  }

  long rowsOf(long copyId) {
    return jdbc.sql("SELECT COUNT(*) FROM dnc_registry_number WHERE copy_id = :c")
        .param("c", copyId)
        .query(Long.class)
        .single();
  }

  // --- importing ---

  @Test
  void bothLayoutsAreReadAndBadLinesAndLinesOutsideTheCoverageAreReportedWithTheirLineNumbers()
      throws Exception {
    String file =
        String.join(
            "\n",
            "AreaCode,PhoneNumber",
            "201,5550123",
            "2025550124",
            "+12015550125",
            "(202) 555-0126",
            "",
            "201,5550123",
            "305,5550127",
            "hello",
            "201,555012",
            "12025550128",
            "201,1550129");
    JsonNode answer =
        body(
            upload(
                    "US national",
                    "kind=national&asOf=" + TODAY.minusDays(3) + "&areaCodes=202,201",
                    file)
                .andExpect(status().isOk()));
    JsonNode report = answer.get("report");
    assertThat(report.get("registry").asString()).isEqualTo("US national");
    assertThat(report.get("coverage").asString()).isEqualTo("201-202");
    assertThat(report.get("lines").asLong()).isEqualTo(12);
    assertThat(report.get("numbers").asLong()).isEqualTo(5);
    assertThat(report.get("repeated").asLong()).isEqualTo(1);
    assertThat(report.get("headerSkipped").asBoolean()).isTrue();
    assertThat(report.at("/outsideCoverage/count").asLong()).isEqualTo(1);
    assertThat(report.at("/outsideCoverage/first/0/line").asLong()).isEqualTo(8);
    assertThat(report.at("/outsideCoverage/first/0/text").asString()).isEqualTo("305,5550127");
    assertThat(report.at("/badLines/count").asLong()).isEqualTo(3);
    assertThat(report.at("/badLines/first").findValues("line").stream().map(JsonNode::asLong))
        .containsExactly(9L, 10L, 12L);
    JsonNode registry = answer.get("registry");
    assertThat(registry.get("kind").asString()).isEqualTo("national");
    assertThat(registry.get("numbers").asLong()).isEqualTo(5);
    assertThat(registry.get("ageDays").asLong()).isEqualTo(3);
    assertThat(registry.get("freshness").asString()).isEqualTo("fresh");
    assertThat(registry.get("freshUntil").asString()).isEqualTo(TODAY.plusDays(28).toString());

    assertThat(check("+12015550123")).isInstanceOf(RegistryLayer.Listed.class);
    assertThat(check("+12025550126")).isInstanceOf(RegistryLayer.Listed.class);
    assertThat(check("+12025550128")).isInstanceOf(RegistryLayer.Listed.class);
    assertThat(check("+12015550199")).isInstanceOf(RegistryLayer.Clear.class);
    // 305 is not covered: a US number there needs a national copy.
    assertThat(check("+13055550127")).isEqualTo(new RegistryLayer.Missing(305, "US"));
    // Canada is not in PARLEY_DNC_REGISTRY_REGIONS by default; London has no registry layer.
    assertThat(check("+14165550123")).isInstanceOf(RegistryLayer.Clear.class);
    assertThat(check("+442079460958")).isInstanceOf(RegistryLayer.Clear.class);

    AuditEvent audit =
        events.stream(AuditEvent.class)
            .filter(e -> e.action().equals("dnc.registry_imported"))
            .findFirst()
            .orElseThrow();
    assertThat(audit.actorEmail()).isEqualTo("sup@example.com");
    assertThat(audit.details())
        .containsEntry("registry", "US national")
        .containsEntry("coverage", "201-202")
        .containsEntry("numbers", 5L);
  }

  @Test
  void anImportReplacesOnlyTheAreaCodesItCoversAndTheReplacedRowsArePurged() throws Exception {
    long first =
        body(upload(
                "US national",
                "kind=national&asOf=" + TODAY.minusDays(10) + "&areaCodes=201-202",
                "2015550123\n2025550124\n"))
            .at("/report/copyId")
            .asLong();
    long second =
        body(upload("US national", "asOf=" + TODAY.minusDays(1) + "&areaCodes=202", "2025559999\n")
                .andExpect(status().isOk()))
            .at("/report/copyId")
            .asLong();
    assertThat(check("+12025550124")).isInstanceOf(RegistryLayer.Clear.class);
    assertThat(check("+12025559999")).isInstanceOf(RegistryLayer.Listed.class);
    assertThat(check("+12015550123"))
        .isEqualTo(new RegistryLayer.Listed("US national", TODAY.minusDays(10)));

    RegistryView view = registries.get(ORG, "US national");
    assertThat(view.coverage()).isEqualTo("201-202");
    assertThat(view.asOf()).isEqualTo(TODAY.minusDays(10));
    assertThat(view.copies())
        .extracting(RegistryView.CopyView::id, RegistryView.CopyView::coverage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(first, "201"),
            org.assertj.core.groups.Tuple.tuple(second, "202"));

    purge.purge();
    // The first copy keeps its 201 row; its 202 row is gone.
    assertThat(rowsOf(first)).isEqualTo(1);
    assertThat(rowsOf(second)).isEqualTo(1);

    // Replacing 201 too leaves the first copy in force nowhere: superseded, its rows deleted.
    upload("US national", "asOf=" + TODAY + "&areaCodes=201", "2015550777\n")
        .andExpect(status().isOk());
    purge.purge();
    assertThat(rowsOf(first)).isZero();
    assertThat(
            jdbc.sql("SELECT status FROM dnc_registry_copy WHERE id = :id")
                .param("id", first)
                .query(String.class)
                .single())
        .isEqualTo("superseded");
  }

  @Test
  void aFailedImportLeavesThePreviousCopyInForceAndItsRowsArePurged() throws Exception {
    upload("TX", "kind=state&asOf=" + TODAY + "&areaCodes=512", "5125550123\n")
        .andExpect(status().isOk());
    // A file with no number in the coverage changes nothing.
    upload("TX", "asOf=" + TODAY + "&areaCodes=512", "2145550123\n")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.file").value(containsString("outside")));
    // The registry's XML layout is not read: refused, naming the first bad line.
    upload(
            "TX",
            "asOf=" + TODAY + "&areaCodes=512",
            "<?xml version=\"1.0\"?>\n<PhoneNumber>5125550124</PhoneNumber>\n")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.file").value(containsString("layout")))
        .andExpect(jsonPath("$.errors.file").value(containsString("line 2")));
    // A body that breaks after 25,000 numbers (two batches written): the client went away.
    InputStream broken =
        new InputStream() {
          int line;
          byte[] current = new byte[0];
          int at;

          @Override
          public int read() throws IOException {
            if (at == current.length) {
              if (++line > 25_000) {
                throw new IOException("the client went away");
              }
              current = String.format("512%07d\n", 2_000_000 + line).getBytes();
              at = 0;
            }
            return current[at++];
          }
        };
    RegistryImporter.Request request = importer.check("TX", null, TODAY.toString(), "512");
    assertThatThrownBy(
            () ->
                importer.importFile(
                    ORG,
                    request,
                    broken,
                    RegistryImporter.Packing.PLAIN,
                    new Actor(USER, "sup@example.com")))
        .isInstanceOf(IOException.class);
    assertThat(check("+15125550123")).isInstanceOf(RegistryLayer.Listed.class);
    // Not on TX's copy in force; a state copy alone does not do for a US number, though.
    assertThat(check("+15122000001")).isEqualTo(new RegistryLayer.Missing(512, "US"));
    assertThat(registries.get(ORG, "TX").numbers()).isEqualTo(1);
    long failed =
        jdbc.sql("SELECT id FROM dnc_registry_copy WHERE status = 'failed'")
            .query(Long.class)
            .single();
    // Its 20,000 rows written before the break are purged (at once after the failure, on this
    // node; the pass here finishes it if that one has not).
    purge.purge();
    assertThat(rowsOf(failed)).isZero();
    // A failed first import of a new list leaves no list behind.
    upload("FL", "kind=state&asOf=" + TODAY + "&areaCodes=305", "nothing here\n")
        .andExpect(status().isUnprocessableContent());
    assertThat(registries.list(ORG)).extracting(RegistryView::name).containsExactly("TX");
  }

  @Test
  void zipAndGzipUploadsAreReadEntryByEntry() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
      zip.putNextEntry(new ZipEntry("201.txt"));
      zip.write("201,5550123\n201,5550124\n".getBytes(StandardCharsets.US_ASCII));
      zip.putNextEntry(new ZipEntry("202.txt"));
      zip.write("202,5550125\nbad\n".getBytes(StandardCharsets.US_ASCII));
    }
    JsonNode report =
        body(upload(
                    "US national",
                    "kind=national&asOf=" + TODAY + "&areaCodes=201-202",
                    "application/zip",
                    zipped.toByteArray())
                .andExpect(status().isOk()))
            .get("report");
    assertThat(report.get("numbers").asLong()).isEqualTo(3);
    assertThat(report.at("/badLines/first/0/entry").asString()).isEqualTo("202.txt");
    assertThat(report.at("/badLines/first/0/line").asLong()).isEqualTo(2);

    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write("+12035550123\n".getBytes(StandardCharsets.US_ASCII));
    }
    upload(
            "CT",
            "kind=state&asOf=" + TODAY + "&areaCodes=203",
            "application/gzip",
            gzipped.toByteArray())
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.report.numbers").value(1));
    assertThat(check("+12035550123")).isInstanceOf(RegistryLayer.Listed.class);

    // Bytes that are not what they claim, or a gzip cut short: 422, the copy in force kept.
    upload("CT", "asOf=" + TODAY + "&areaCodes=203", "application/gzip", "2035550999\n".getBytes())
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.file").value(containsString("gzip")));
    byte[] cut = java.util.Arrays.copyOf(gzipped.toByteArray(), gzipped.size() - 6);
    upload("CT", "asOf=" + TODAY + "&areaCodes=203", "application/gzip", cut)
        .andExpect(status().isUnprocessableContent());
    upload("CT", "asOf=" + TODAY + "&areaCodes=203", "application/zip", "2035550999\n".getBytes())
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.file").value(containsString("zip")));
    assertThat(check("+12035550123")).isInstanceOf(RegistryLayer.Listed.class);
  }

  // --- age ---

  @Test
  void anOldCopyIsStaleTheHealthWarnsBeforeAndTurnsDegradedAfter() throws Exception {
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    upload(
            "US national",
            "kind=national&asOf=" + TODAY.minusDays(28) + "&areaCodes=201",
            "2015550123\n")
        .andExpect(status().isOk());
    Health warning = health.health();
    assertThat(warning.getStatus()).isEqualTo(Status.UP);
    assertThat(String.valueOf(warning.getDetails().get("warning")))
        .contains("US national goes stale after " + TODAY.plusDays(3));

    upload("US national", "asOf=" + TODAY.minusDays(32) + "&areaCodes=201", "2015550123\n")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.registry.stale").value(true))
        .andExpect(jsonPath("$.registry.freshness").value("stale"));
    // A listed number stays listed; any other one it covers can no longer be vouched for.
    assertThat(check("+12015550123")).isInstanceOf(RegistryLayer.Listed.class);
    assertThat(check("+12015550999"))
        .isEqualTo(new RegistryLayer.Stale("US national", 201, TODAY.minusDays(32), 32, 31));
    Health stale = health.health();
    assertThat(stale.getStatus()).isEqualTo(RegistryHealthIndicator.DEGRADED);
    assertThat(String.valueOf(stale.getDetails().get("warning"))).contains("US national is stale");

    // 31 days old is still fresh (accessed no more than 31 days before the call).
    upload("US national", "asOf=" + TODAY.minusDays(31) + "&areaCodes=201", "2015550123\n")
        .andExpect(status().isOk());
    assertThat(check("+12015550999")).isInstanceOf(RegistryLayer.Clear.class);
    assertThat(registries.oldestAgeDays()).contains(31L);

    // A state list alone, with US numbers required to have a national copy: degraded too.
    upload("TX", "kind=state&asOf=" + TODAY + "&areaCodes=512", "5125550123\n")
        .andExpect(status().isOk());
    mvc.perform(delete("/api/dnc/registries/US national").with(as("SUPERVISOR")))
        .andExpect(status().isNoContent());
    Health stateOnly = health.health();
    assertThat(stateOnly.getStatus()).isEqualTo(RegistryHealthIndicator.DEGRADED);
    assertThat(String.valueOf(stateOnly.getDetails().get("warning"))).contains("no national copy");
  }

  // --- the API's refusals ---

  @Test
  void everyBadInputIsNamedAndNothingIsWritten() throws Exception {
    String ok = "2015550123\n";
    upload("US national", "asOf=" + TODAY + "&areaCodes=201", ok)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.kind").value(containsString("required")));
    upload("US national", "kind=federal&asOf=2026-13-01&areaCodes=300-200", ok)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.kind").value(containsString("national or state")))
        .andExpect(jsonPath("$.errors.asOf").value(containsString("YYYY-MM-DD")))
        .andExpect(jsonPath("$.errors.areaCodes").value(containsString("backwards")));
    upload("US national", "kind=national&asOf=" + TODAY.plusDays(2) + "&areaCodes=201", ok)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.asOf").value(containsString("future")));
    for (String bad : List.of("", "99", "201-", "201;305", "abc", "1201")) {
      upload("US national", "kind=national&asOf=" + TODAY + "&areaCodes=" + bad, ok)
          .andExpect(status().isUnprocessableContent())
          .andExpect(jsonPath("$.errors.areaCodes").exists());
    }
    upload("US national", "kind=national&asOf=" + TODAY + "&areaCodes=201", "")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.file").value(containsString("empty")));
    upload("-bad", "kind=national&asOf=" + TODAY + "&areaCodes=201", ok)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.name").exists());
    upload(
            "US national",
            "kind=national&asOf=" + TODAY + "&areaCodes=201",
            "application/json",
            ok.getBytes())
        .andExpect(status().isUnsupportedMediaType());
    mvc.perform(
            put("/api/dnc/registries/US national?kind=national&asOf=" + TODAY + "&areaCodes=201")
                .with(as("OPERATOR"))
                .contentType("text/plain")
                .content(ok))
        .andExpect(status().isForbidden());
    assertThat(registries.list(ORG)).isEmpty();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM dnc_registry_number").query(Long.class).single())
        .isZero();

    upload("US national", "kind=national&asOf=" + TODAY + "&areaCodes=201", ok)
        .andExpect(status().isOk());
    upload("US national", "kind=state&asOf=" + TODAY + "&areaCodes=201", ok)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.kind").value(containsString("is national")));

    // Over the byte limit: refused as the stream passes it.
    assertThatThrownBy(
            () ->
                RegistryImporter.limited(new ByteArrayInputStream(new byte[11]), 10).readAllBytes())
        .isInstanceOf(RegistryTooLargeException.class);
  }

  @Test
  void viewersListSupervisorsDeleteAndADeletedListNoLongerAnswers() throws Exception {
    upload(
            "US national",
            "kind=national&asOf=" + TODAY.minusDays(2) + "&areaCodes=201-299",
            "2015550123\n")
        .andExpect(status().isOk());
    mvc.perform(get("/api/dnc/registries").with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].name").value("US national"))
        .andExpect(jsonPath("$[0].coverage").value("201-299"))
        .andExpect(jsonPath("$[0].areaCodes").value(99))
        .andExpect(jsonPath("$[0].numbers").value(1))
        .andExpect(jsonPath("$[0].asOf").value(TODAY.minusDays(2).toString()))
        .andExpect(jsonPath("$[0].ageDays").value(2))
        .andExpect(jsonPath("$[0].stale").value(false))
        .andExpect(jsonPath("$[0].copies[0].importedBy").value("sup@example.com"));
    mvc.perform(get("/api/dnc/registries/US national").with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.freshness").value("fresh"));
    mvc.perform(get("/api/dnc/registries/TX").with(as("VIEWER"))).andExpect(status().isNotFound());
    mvc.perform(delete("/api/dnc/registries/US national").with(as("OPERATOR")))
        .andExpect(status().isForbidden());
    mvc.perform(delete("/api/dnc/registries/US national").with(as("SUPERVISOR")))
        .andExpect(status().isNoContent());
    mvc.perform(delete("/api/dnc/registries/US national").with(as("SUPERVISOR")))
        .andExpect(status().isNotFound());
    assertThat(check("+12015550123")).isEqualTo(new RegistryLayer.Missing(201, "US"));
    assertThat(events.stream(AuditEvent.class).map(AuditEvent::action))
        .contains("dnc.registry_imported", "dnc.registry_deleted");
    purge.purge();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM dnc_registry_number").query(Long.class).single())
        .isZero();
  }
}
