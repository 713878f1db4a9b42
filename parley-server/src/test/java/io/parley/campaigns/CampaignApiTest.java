package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.shared.AuditEvent;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import io.parley.support.PromptRows;
import io.parley.support.Wavs;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@DbTest
@RecordApplicationEvents
class CampaignApiTest {

  static final UUID USER = UUID.fromString("55555555-5555-5555-5555-555555555555");
  static final UUID PROMPT = UUID.fromString("66666666-6666-6666-6666-666666666666");
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final MediaType CSV = MediaType.parseMediaType("text/csv");

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired ApplicationEvents events;

  String agentId;

  static RequestPostProcessor as(String role) {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_" + role));
  }

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Reminders", "You remind people of visits.", USER);
    agentId =
        new AgentRequests(mvc, as("ADMIN"))
            .create(
                """
                {"name": "Reminders", "promptId": "%s", "greeting": "Hello!",
                 "voice": {"provider": "elevenlabs", "voiceId": "v1"}, "llm": {"model": "grok-3-mini"}}
                """
                    .formatted(PROMPT))
            .path("id")
            .asString();
    assertThat(agentId).isNotEmpty();
  }

  // --- campaigns ---

  @Test
  void aCampaignIsCreatedAsADraftWithDefaultsReadBackEditedAndAudited() throws Exception {
    JsonNode created =
        body(
            create(
                    "Winter reminders",
                    "{\"purpose\": \"telemarketing\", \"agentId\": \"" + agentId + "\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.status").value("draft"))
                .andExpect(jsonPath("$.settings.purpose").value("telemarketing"))
                .andExpect(jsonPath("$.settings.defaultRegion").value("US"))
                .andExpect(jsonPath("$.settings.amdMode").value("enable"))
                .andExpect(jsonPath("$.settings.ringTimeoutSeconds").value(30))
                .andExpect(jsonPath("$.settings.maxConcurrentCalls").value(5))
                .andExpect(jsonPath("$.settings.callsPerSecond").value(1))
                .andExpect(jsonPath("$.settings.requireConsent").value(true))
                .andExpect(jsonPath("$.leads.pending").value(0))
                .andExpect(jsonPath("$.createdBy").value("ops@example.com")));
    String id = created.get("id").asString();

    mvc.perform(
            put("/api/campaigns/" + id)
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    campaignJson(
                        "Winter reminders (2)",
                        "{\"purpose\": \"informational\", \"agentId\": \"%s\", \"callsPerSecond\": 2.5,"
                                .formatted(agentId)
                            + " \"maxConcurrentCalls\": 20, \"defaultRegion\": \"gb\"}")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.name").value("Winter reminders (2)"))
        .andExpect(jsonPath("$.settings.callsPerSecond").value(2.5))
        .andExpect(jsonPath("$.settings.defaultRegion").value("GB"))
        .andExpect(jsonPath("$.settings.requireConsent").value(false));

    mvc.perform(get("/api/campaigns/" + id).with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.settings.maxConcurrentCalls").value(20));
    mvc.perform(get("/api/campaigns").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].id").value(id));
    assertThat(events.stream(AuditEvent.class).map(AuditEvent::action))
        .contains("campaign.created", "campaign.updated");
  }

  @Test
  void badSettingsAreAllNamedAtOnce() throws Exception {
    create(
            "",
            "{\"purpose\": \"sales\", \"agentId\": \"nope\", \"ringTimeoutSeconds\": 10,"
                + " \"callsPerSecond\": 0, \"maxConcurrentCalls\": 0, \"amdMode\": \"loud\","
                + " \"defaultRegion\": \"XX\", \"callerId\": \"4155550123\", \"colour\": \"red\"}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.name").exists())
        .andExpect(jsonPath("$.errors['settings.purpose']").exists())
        .andExpect(jsonPath("$.errors['settings.agentId']").exists())
        .andExpect(jsonPath("$.errors['settings.ringTimeoutSeconds']").exists())
        .andExpect(jsonPath("$.errors['settings.callsPerSecond']").exists())
        .andExpect(jsonPath("$.errors['settings.maxConcurrentCalls']").exists())
        .andExpect(jsonPath("$.errors['settings.amdMode']").exists())
        .andExpect(jsonPath("$.errors['settings.defaultRegion']").exists())
        .andExpect(jsonPath("$.errors['settings.callerId']").exists())
        .andExpect(jsonPath("$.errors['settings.colour']").exists());
    create(
            "No agent",
            "{\"purpose\": \"informational\", \"agentId\": \"" + UUID.randomUUID() + "\"}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors['settings.agentId']").value("names no agent"));
    assertThat(count("campaign")).isZero();
  }

  @Test
  void viewersReadButDoNotCreateOrImport() throws Exception {
    String id = campaign("Read only");
    mvc.perform(
            post("/api/campaigns")
                .with(as("VIEWER"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    campaignJson(
                        "x", "{\"purpose\": \"informational\", \"agentId\": \"" + agentId + "\"}")))
        .andExpect(status().isForbidden());
    importCsv(id, "phone\n+14155550123\n", as("VIEWER")).andExpect(status().isForbidden());
    assertThat(count("campaign_lead")).isZero();
  }

  // --- importing leads ---

  @Test
  void anImportAcceptsTheGoodRowsAndReportsEveryOtherLineWithItsReason() throws Exception {
    String id = campaign("Mixed file");
    String file =
        """
        phone,first_name,last_name,time_zone,consent_at,appointment
        (415) 555-0123,Ada,Lovelace,,2026-01-02,Tuesday 10:00
        +1 212 555 0199,Grace,Hopper,America/New_York,,Wednesday
        not a number,Bad,Row,,,
        +14155550123,Ada,Again,,,
        +80012345678,Nowhere,Known,,,
        +13125550142,Zone,Wrong,Mars/Base,,
        "+1 (617) 555-0100","Quoted, Name",,,,"note, with comma"
        """;
    JsonNode report =
        body(
            importCsv(id, file, as("OPERATOR"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.rows").value(7))
                .andExpect(jsonPath("$.accepted").value(3))
                .andExpect(jsonPath("$.duplicates").value(1))
                .andExpect(jsonPath("$.invalid").value(2))
                .andExpect(jsonPath("$.held").value(1)));
    assertThat(report.get("lines").get("items").toString())
        .contains("\"line\":4", "not a phone number")
        .contains("\"line\":5", "the same number as line 2")
        .contains("\"line\":6", "\"outcome\":\"held\"")
        .contains("\"line\":7", "time_zone is not an IANA");

    String importId = report.get("id").asString();
    mvc.perform(
            get("/api/campaigns/" + id + "/imports/" + importId)
                .param("outcome", "invalid")
                .with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.lines.total").value(2))
        .andExpect(jsonPath("$.lines.items[0].line").value(4))
        .andExpect(jsonPath("$.lines.items[0].phone").value("not a number"))
        .andExpect(jsonPath("$.lines.items[1].line").value(7));

    mvc.perform(
            get("/api/campaigns/" + id + "/leads")
                .param("sort", "-phoneNumber")
                .param("status", "pending")
                .with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(3))
        .andExpect(jsonPath("$.items[0].phoneNumber").value("+16175550100"))
        .andExpect(jsonPath("$.items[0].firstName").value("Quoted, Name"))
        .andExpect(jsonPath("$.items[0].variables.appointment").value("note, with comma"))
        .andExpect(jsonPath("$.items[1].phoneNumber").value("+14155550123"))
        .andExpect(jsonPath("$.items[1].zones[0]").value("America/Los_Angeles"))
        .andExpect(jsonPath("$.items[1].consentAt").value("2026-01-02T00:00:00Z"))
        .andExpect(jsonPath("$.items[1].importLine").value(2))
        .andExpect(jsonPath("$.items[2].phoneNumber").value("+12125550199"))
        .andExpect(jsonPath("$.items[2].timeZone").value("America/New_York"));
    mvc.perform(get("/api/campaigns/" + id + "/leads").param("phone", "+1415").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(1));
    mvc.perform(get("/api/campaigns/" + id).with(as("VIEWER")))
        .andExpect(jsonPath("$.leads.pending").value(3))
        .andExpect(jsonPath("$.leads.held").value(1));
    assertThat(events.stream(AuditEvent.class).map(AuditEvent::action))
        .contains("campaign.leads_imported");
  }

  @Test
  void aSecondUploadReportsNumbersTheCampaignHasAndOtherActiveCampaignsHave() throws Exception {
    String first = campaign("First");
    String second = campaign("Second");
    importCsv(first, "phone\n+14155550123\n+14155550124\n", as("OPERATOR"))
        .andExpect(jsonPath("$.accepted").value(2));
    importCsv(first, "phone\n+14155550124\n+14155550125\n", as("OPERATOR"))
        .andExpect(jsonPath("$.accepted").value(1))
        .andExpect(jsonPath("$.duplicates").value(1))
        .andExpect(jsonPath("$.lines.items[0].reason").value("already a lead of this campaign"));
    importCsv(second, "phone\n+14155550123\n", as("OPERATOR"))
        .andExpect(jsonPath("$.accepted").value(1))
        .andExpect(jsonPath("$.inOtherCampaigns").value(1))
        .andExpect(jsonPath("$.lines.items[0].outcome").value("in_other_campaign"))
        .andExpect(
            jsonPath("$.lines.items[0].reason")
                .value("also a lead of the active campaign First (imported all the same)"));
    assertThat(count("campaign_lead")).isEqualTo(4);
    mvc.perform(get("/api/campaigns/" + first + "/imports").with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.total").value(2))
        .andExpect(jsonPath("$.items[0].accepted").value(1))
        .andExpect(jsonPath("$.items[0].duplicates").value(1))
        .andExpect(jsonPath("$.items[1].accepted").value(2))
        .andExpect(jsonPath("$.items[0].lines").doesNotExist());
  }

  @Test
  void semicolonsAByteOrderMarkAndAHeaderMappingAreRead() throws Exception {
    String id = campaign("Spreadsheet export");
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] text =
        "Mobile;Vorname;Zone\r\n0151 23456789;Jürgen;Europe/Berlin\r\n"
            .getBytes(StandardCharsets.UTF_8);
    byte[] file = new byte[bom.length + text.length];
    System.arraycopy(bom, 0, file, 0, bom.length);
    System.arraycopy(text, 0, file, bom.length, text.length);
    mvc.perform(
            post("/api/campaigns/" + id + "/leads")
                .param("map", "Mobile:phone", "Vorname:first_name", "Zone:time_zone")
                .param("fileName", "leads.csv")
                .with(as("OPERATOR"))
                .contentType(CSV)
                .content(file))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.fileName").value("leads.csv"))
        .andExpect(jsonPath("$.invalid").value(1))
        .andExpect(
            jsonPath("$.lines.items[0].reason")
                .value(org.hamcrest.Matchers.startsWith("phone is not a valid number")));
    // The campaign reads numbers in the US by default: a German national number needs GB/DE or +49.
    importCsv(
            id,
            "Mobile;Vorname\n+49 151 23456789;Jürgen\n",
            as("OPERATOR"),
            "Mobile:phone",
            "Vorname:first_name")
        .andExpect(jsonPath("$.accepted").value(1));
    mvc.perform(get("/api/campaigns/" + id + "/leads").with(as("VIEWER")))
        .andExpect(jsonPath("$.items[0].phoneNumber").value("+4915123456789"))
        .andExpect(jsonPath("$.items[0].firstName").value("Jürgen"))
        .andExpect(jsonPath("$.items[0].zones[0]").value("Europe/Berlin"));
  }

  @Test
  void filesThatAreNotLeadListsGetAProblemAndLeaveNothingBehind() throws Exception {
    String id = campaign("Bad files");
    importCsv(id, "", as("OPERATOR"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.file").value(org.hamcrest.Matchers.startsWith("is empty")));
    importCsv(id, "phone\n\n", as("OPERATOR"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.file").value("has a header but no leads"));
    importCsv(id, "name,email\nAda,ada@example.com\n", as("OPERATOR"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            jsonPath("$.errors.file")
                .value(org.hamcrest.Matchers.containsString("no phone column")));
    mvc.perform(
            post("/api/campaigns/" + id + "/leads")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .content(new byte[] {'P', 'K', 3, 4, 0, 0, 8, 0, (byte) 0xFF, (byte) 0xFE}))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.file").exists());
    importCsv(id, "phone\n+14155550123\n", as("OPERATOR"), "nocolon")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.map").exists());

    // Good rows first, then a line no reader can get past: the whole upload is refused.
    StringBuilder file = new StringBuilder("phone,note\n");
    for (int i = 0; i < 1200; i++) {
      file.append("+1415555").append(String.format("%04d", i)).append(",ok\n");
    }
    file.append("+14155559999,\"never closed\n+14155559998,x\n");
    importCsv(id, file.toString(), as("OPERATOR"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            jsonPath("$.errors.file").value(org.hamcrest.Matchers.containsString("line 1202")));

    byte[] latin1 =
        "phone,first_name\n+14155550123,J\u00fcrgen\n".getBytes(StandardCharsets.ISO_8859_1);
    mvc.perform(
            post("/api/campaigns/" + id + "/leads")
                .with(as("OPERATOR"))
                .contentType(CSV)
                .content(latin1))
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            jsonPath("$.errors.file").value(org.hamcrest.Matchers.containsString("not UTF-8")));

    assertThat(count("campaign_lead")).isZero();
    assertThat(count("lead_import")).isZero();
    assertThat(count("lead_import_row")).isZero();
  }

  @Test
  void uploadsOverTheLimitsAreRefusedWithNothingImported() throws Exception {
    String id = campaign("Too big");
    StringBuilder rows = new StringBuilder("phone\n");
    for (int i = 0; i <= LeadImporter.MAX_ROWS; i++) {
      rows.append("+1415").append(String.format("%07d", i)).append('\n');
    }
    importCsv(id, rows.toString(), as("OPERATOR"))
        .andExpect(status().isContentTooLarge())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("100000 rows")));

    byte[] huge = new byte[(int) LeadImporter.MAX_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) 'a');
    mvc.perform(
            post("/api/campaigns/" + id + "/leads")
                .with(as("OPERATOR"))
                .contentType(CSV)
                .content(huge))
        .andExpect(status().isContentTooLarge())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("20 MiB")));
    assertThat(count("campaign_lead")).isZero();
    assertThat(count("lead_import")).isZero();
  }

  @Test
  void tenThousandLeadsAreImportedWithACorrectReport() throws Exception {
    String id = campaign("Ten thousand");
    StringBuilder file = new StringBuilder("phone,first_name,visit\n");
    for (int i = 0; i < 10_000; i++) {
      // Every 100th row repeats the one before it; every 250th is not a number.
      int number = i % 100 == 99 ? i - 1 : i;
      String phone =
          i % 250 == 7 ? "n/a" : "+1212" + String.format("%07d", 5550000 + number % 10_000);
      file.append(phone).append(",Lead ").append(i).append(",Monday\n");
    }
    JsonNode report =
        body(importCsv(id, file.toString(), as("OPERATOR")).andExpect(status().isCreated()));
    int invalid = 40;
    int duplicates = 100;
    assertThat(report.get("rows").asInt()).isEqualTo(10_000);
    assertThat(report.get("invalid").asInt()).isEqualTo(invalid);
    assertThat(report.get("duplicates").asInt()).isEqualTo(duplicates);
    assertThat(report.get("accepted").asInt()).isEqualTo(10_000 - invalid - duplicates);
    assertThat(count("campaign_lead")).isEqualTo(10_000 - invalid - duplicates);
    assertThat(count("lead_import_row")).isEqualTo(invalid + duplicates);
  }

  @Test
  void supervisorsExportLeadsAsCsvWithFormulasNeutralisedAndEveryExportAudited() throws Exception {
    String id = campaign("Export");
    importCsv(
            id,
            "phone,first_name,last_name,time_zone,note\n"
                + "+14155550123,\"=HYPERLINK(\"\"http://x\"\")\",\"O'Neil, Jr\",,@SUM(A1)\n"
                + "+80012345678,Held,Lead,,-3\n",
            as("OPERATOR"))
        .andExpect(status().isCreated());

    mvc.perform(get("/api/campaigns/" + id + "/leads/export").with(as("OPERATOR")))
        .andExpect(status().isForbidden());
    String csv =
        mvc.perform(
                get("/api/campaigns/" + id + "/leads/export")
                    .param("sort", "phoneNumber")
                    .with(as("SUPERVISOR")))
            .andExpect(status().isOk())
            .andExpect(
                org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
                    .string("Content-Disposition", org.hamcrest.Matchers.containsString(".csv")))
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    String[] lines = csv.split("\r\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("phone,first_name,last_name,time_zone,number_zones,");
    assertThat(lines[1])
        .startsWith(
            "'+14155550123,\"'=HYPERLINK(\"\"http://x\"\")\",\"O'Neil, Jr\",,America/Los_Angeles,,,pending,")
        .contains("\"{\"\"note\"\":\"\"@SUM(A1)\"\"}\"");
    assertThat(lines[2]).startsWith("'+80012345678,Held,Lead,,,,,held,");

    String held =
        mvc.perform(
                get("/api/campaigns/" + id + "/leads/export")
                    .param("status", "held")
                    .with(as("SUPERVISOR")))
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    assertThat(held.split("\r\n")).hasSize(2);
    mvc.perform(get("/api/campaigns/" + UUID.randomUUID() + "/leads/export").with(as("SUPERVISOR")))
        .andExpect(status().isNotFound());
    mvc.perform(
            get("/api/campaigns/" + id + "/leads/export")
                .param("status", "lost")
                .with(as("SUPERVISOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.status").exists());

    assertThat(
            events.stream(AuditEvent.class)
                .filter(e -> e.action().equals("campaign.leads_exported")))
        .hasSize(2)
        .last()
        .satisfies(e -> assertThat(e.details()).containsEntry("status", "held"));

    // The export reads back: a prefixed number is the same number to the import.
    String again = campaign("Re-import");
    mvc.perform(
            post("/api/campaigns/" + again + "/leads")
                .with(as("OPERATOR"))
                .contentType(CSV)
                .content(csv.getBytes(StandardCharsets.UTF_8)))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.rows").value(2))
        .andExpect(jsonPath("$.accepted").value(1))
        .andExpect(jsonPath("$.held").value(1));
  }

  // --- helpers ---

  // --- lifecycle ---

  @Test
  void aCampaignStartsOnlyFromDraftWithLeadsAndATelemarketingOneOnlyWithADisclosingAgent()
      throws Exception {
    String id = campaign("Lifecycle");
    mvc.perform(post("/api/campaigns/" + id + "/start").with(as("VIEWER")))
        .andExpect(status().isForbidden());
    mvc.perform(post("/api/campaigns/" + id + "/start").with(as("OPERATOR")))
        .andExpect(status().isConflict())
        .andExpect(
            jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("no pending leads")));
    mvc.perform(post("/api/campaigns/" + id + "/pause").with(as("OPERATOR")))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("draft")));
    mvc.perform(post("/api/campaigns/" + id + "/resume").with(as("OPERATOR")))
        .andExpect(status().isConflict());
    mvc.perform(post("/api/campaigns/" + UUID.randomUUID() + "/start").with(as("OPERATOR")))
        .andExpect(status().isNotFound());

    JsonNode telemarketing =
        body(
            create("Offers", "{\"purpose\": \"telemarketing\", \"agentId\": \"" + agentId + "\"}")
                .andExpect(status().isCreated()));
    String offers = telemarketing.get("id").asString();
    importCsv(offers, "phone\n+12125550100\n", as("OPERATOR")).andExpect(status().isCreated());
    mvc.perform(post("/api/campaigns/" + offers + "/start").with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            jsonPath("$.errors['settings.agentId']")
                .value(
                    org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.containsString("disclos"),
                        org.hamcrest.Matchers.containsString("opt_out"))));
    mvc.perform(post("/api/campaigns/" + offers + "/start").with(as("OPERATOR")))
        .andExpect(
            jsonPath("$.errors['settings.abandonment.safeHarbourMessage']")
                .value(org.hamcrest.Matchers.containsString("safe-harbour")));
    assertThat(
            jdbc.sql("SELECT status FROM campaign WHERE id = :id")
                .param("id", UUID.fromString(offers))
                .query(String.class)
                .single())
        .isEqualTo("draft");

    mvc.perform(post("/api/campaigns/" + id + "/cancel").with(as("OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("cancelled"));
    mvc.perform(post("/api/campaigns/" + id + "/cancel").with(as("OPERATOR")))
        .andExpect(status().isConflict());
    assertThat(events.stream(AuditEvent.class).map(AuditEvent::action))
        .contains("campaign.cancelled");
  }

  @Test
  void retryRulesAndTheAttemptCapAreReadWithDefaultsAndEveryBadFieldNamed() throws Exception {
    create(
            "Retries",
            "{\"purpose\": \"informational\", \"agentId\": \""
                + agentId
                + "\","
                + " \"maxAttempts\": 4, \"retry\": {\"busy\": {\"delayMinutes\": 5}}}")
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.settings.maxAttempts").value(4))
        .andExpect(jsonPath("$.settings.retry.busy.delayMinutes").value(5))
        .andExpect(jsonPath("$.settings.retry.busy.maxAttempts").value(3))
        .andExpect(jsonPath("$.settings.retry.machine.delayMinutes").value(240));
    create(
            "Bad retries",
            "{\"purpose\": \"informational\", \"agentId\": \""
                + agentId
                + "\","
                + " \"maxAttempts\": 0, \"retry\": {\"busy\": {\"delayMinutes\": 0,"
                + " \"maxAttempts\": 99, \"colour\": 1}, \"voicemail\": {}, \"failed\": 3}}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors['settings.maxAttempts']").exists())
        .andExpect(jsonPath("$.errors['settings.retry.busy.delayMinutes']").exists())
        .andExpect(jsonPath("$.errors['settings.retry.busy.maxAttempts']").exists())
        .andExpect(jsonPath("$.errors['settings.retry.busy.colour']").exists())
        .andExpect(jsonPath("$.errors['settings.retry.voicemail']").exists())
        .andExpect(jsonPath("$.errors['settings.retry.failed']").exists());
  }

  @Test
  void calendarHoursStateHoursAndHolidaysAreNormalisedAndEveryBadOneNamed() throws Exception {
    create(
            "Hours",
            "{\"purpose\": \"informational\", \"agentId\": \""
                + agentId
                + "\","
                + " \"callingHours\": {\"Saturday\": \"10:00 - 14:00\", \"sunday\": \"Closed\"},"
                + " \"stateHours\": {\"fl\": \"8:00-20:00\"},"
                + " \"holidays\": [\"2026-12-25\", \"2026-01-01\", \"2026-12-25\"]}")
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.settings.callingHours.saturday").value("10:00-14:00"))
        .andExpect(jsonPath("$.settings.callingHours.sunday").value("closed"))
        .andExpect(jsonPath("$.settings.stateHours.FL").value("08:00-20:00"))
        .andExpect(jsonPath("$.settings.holidays.length()").value(2))
        .andExpect(jsonPath("$.settings.holidays[0]").value("2026-01-01"));
    create(
            "Bad hours",
            "{\"purpose\": \"informational\", \"agentId\": \""
                + agentId
                + "\","
                + " \"callingHours\": {\"funday\": \"10:00-14:00\", \"monday\": \"14:00-10:00\"},"
                + " \"stateHours\": {\"XX\": \"08:00-20:00\", \"TX\": 8},"
                + " \"holidays\": [\"2026-02-30\"]}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors['settings.callingHours.funday']").exists())
        .andExpect(jsonPath("$.errors['settings.callingHours.monday']").exists())
        .andExpect(jsonPath("$.errors['settings.stateHours.XX']").exists())
        .andExpect(jsonPath("$.errors['settings.stateHours.TX']").exists())
        .andExpect(jsonPath("$.errors['settings.holidays[0]']").exists());
  }

  // --- the campaign's own do-not-call list ---

  @Test
  void aCampaignsOwnDoNotCallListIsKeptApartFromTheCompanysAndAudited() throws Exception {
    String id = campaign("Suppressed");
    String other = campaign("Other");
    mvc.perform(
            post("/api/campaigns/" + id + "/dnc")
                .with(as("VIEWER"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"phoneNumber\": \"+12125550100\"}"))
        .andExpect(status().isForbidden());
    mvc.perform(
            post("/api/campaigns/" + id + "/dnc")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"phoneNumber\": \"+12125550100\", \"reason\": \"client list\"}"))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.phoneNumber").value("+12125550100"))
        .andExpect(jsonPath("$.active").value(true));
    mvc.perform(
            post("/api/campaigns/" + id + "/dnc")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"phoneNumber\": \"+12125550100\"}"))
        .andExpect(status().isOk());
    mvc.perform(
            post("/api/campaigns/" + id + "/dnc")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"phoneNumber\": \"12345\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.phoneNumber").exists());
    mvc.perform(
            post("/api/campaigns/" + UUID.randomUUID() + "/dnc")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"phoneNumber\": \"+12125550100\"}"))
        .andExpect(status().isNotFound());
    mvc.perform(get("/api/campaigns/" + id + "/dnc").with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].phoneNumber").value("+12125550100"));
    // Not the company's list, not the other campaign's.
    mvc.perform(get("/api/campaigns/" + other + "/dnc").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(0));
    mvc.perform(get("/api/dnc/check").param("phoneNumber", "+12125550100").with(as("OPERATOR")))
        .andExpect(jsonPath("$.blocked").value(false));

    mvc.perform(
            org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(
                    "/api/campaigns/" + id + "/dnc/+12125550100")
                .with(as("OPERATOR")))
        .andExpect(status().isForbidden());
    mvc.perform(
            org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(
                    "/api/campaigns/" + id + "/dnc/+12125550100")
                .param("reason", "added by mistake")
                .with(as("SUPERVISOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.active").value(false))
        .andExpect(jsonPath("$.removalReason").value("added by mistake"));
    mvc.perform(
            org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(
                    "/api/campaigns/" + id + "/dnc/+12125550100")
                .with(as("SUPERVISOR")))
        .andExpect(status().isNotFound());
    mvc.perform(get("/api/campaigns/" + id + "/dnc").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(0));
    assertThat(
            events.stream(AuditEvent.class)
                .filter(e -> e.action().startsWith("dnc."))
                .map(e -> e.action() + " " + e.details().get("campaignId")))
        .containsExactly("dnc.added " + id, "dnc.removed " + id);
  }

  @Test
  void aSafeHarbourRecordingIsUploadedDescribedAndRemovedAndStandsInForTheMessage()
      throws Exception {
    String id =
        body(create("Offers", "{\"purpose\": \"telemarketing\", \"agentId\": \"" + agentId + "\"}")
                .andExpect(status().isCreated()))
            .get("id")
            .asString();
    importCsv(id, "phone\n+12125550100\n", as("OPERATOR")).andExpect(status().isCreated());
    String path = "/api/campaigns/" + id + "/safe-harbour-audio";
    byte[] second = new byte[8000];
    java.util.Arrays.fill(second, (byte) 0x55);

    refusesAViewerAndAFileThatIsNotAWav(path, second);
    mvc.perform(
            put(path)
                .with(as("OPERATOR"))
                .contentType("audio/wav")
                .content(Wavs.of(1, 1, 44100, 16, new byte[64], false)))
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            jsonPath("$.errors.body").value(org.hamcrest.Matchers.containsString("44100 Hz")));
    mvc.perform(get(path).with(as("VIEWER"))).andExpect(status().isNotFound());

    uploadsAndDescribesASecond(path, "harbour.wav", second);
    // The recording stands in for the message: start now fails on the agent alone.
    mvc.perform(post("/api/campaigns/" + id + "/start").with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors['settings.agentId']").exists())
        .andExpect(jsonPath("$.errors['settings.abandonment.safeHarbourMessage']").doesNotExist());

    mvc.perform(delete(path).with(as("OPERATOR"))).andExpect(status().isNoContent());
    mvc.perform(delete(path).with(as("OPERATOR"))).andExpect(status().isNotFound());
    mvc.perform(get(path).with(as("VIEWER"))).andExpect(status().isNotFound());
    mvc.perform(
            put("/api/campaigns/" + UUID.randomUUID() + "/safe-harbour-audio")
                .with(as("OPERATOR"))
                .contentType("audio/wav")
                .content(Wavs.mulaw(second)))
        .andExpect(status().isNotFound());
    assertThat(events.stream(AuditEvent.class).map(AuditEvent::action))
        .contains("campaign.safe_harbour_audio_set", "campaign.safe_harbour_audio_removed");
  }

  @Test
  void aVoicemailRecordingIsUploadedDescribedAndRemovedApartFromTheSafeHarbourOne()
      throws Exception {
    String id = campaign("Voicemail");
    String path = "/api/campaigns/" + id + "/voicemail-audio";
    byte[] second = new byte[8000];
    java.util.Arrays.fill(second, (byte) 0x55);

    refusesAViewerAndAFileThatIsNotAWav(path, second);
    mvc.perform(
            put(path)
                .with(as("OPERATOR"))
                .contentType("audio/wav")
                .content(Wavs.mulaw(new byte[61 * 8000])))
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            jsonPath("$.errors.body").value(org.hamcrest.Matchers.containsString("at most 60 s")));
    mvc.perform(
            put(path + "?fileName=" + "x".repeat(201))
                .with(as("OPERATOR"))
                .contentType("audio/wav")
                .content(Wavs.mulaw(second)))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.fileName").exists());
    mvc.perform(get(path).with(as("VIEWER"))).andExpect(status().isNotFound());

    uploadsAndDescribesASecond(path, "bistro.wav", second);
    // Its own recording: the campaign still has no safe-harbour recording.
    mvc.perform(get("/api/campaigns/" + id + "/safe-harbour-audio").with(as("VIEWER")))
        .andExpect(status().isNotFound());

    mvc.perform(delete(path).with(as("VIEWER"))).andExpect(status().isForbidden());
    mvc.perform(delete(path).with(as("OPERATOR"))).andExpect(status().isNoContent());
    mvc.perform(delete(path).with(as("OPERATOR"))).andExpect(status().isNotFound());
    mvc.perform(get(path).with(as("VIEWER"))).andExpect(status().isNotFound());
    mvc.perform(
            put("/api/campaigns/" + UUID.randomUUID() + "/voicemail-audio")
                .with(as("OPERATOR"))
                .contentType("audio/wav")
                .content(Wavs.mulaw(second)))
        .andExpect(status().isNotFound());
    assertThat(events.stream(AuditEvent.class).map(AuditEvent::action))
        .contains("campaign.voicemail_audio_set", "campaign.voicemail_audio_removed");
  }

  private void refusesAViewerAndAFileThatIsNotAWav(String path, byte[] second) throws Exception {
    mvc.perform(put(path).with(as("VIEWER")).contentType("audio/wav").content(Wavs.mulaw(second)))
        .andExpect(status().isForbidden());
    mvc.perform(put(path).with(as("OPERATOR")).contentType("audio/wav").content("not a wav"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.body").value(org.hamcrest.Matchers.containsString("WAV")));
  }

  /** Uploads one second of μ-law as {@code fileName}; GET then describes it. */
  private void uploadsAndDescribesASecond(String path, String fileName, byte[] second)
      throws Exception {
    mvc.perform(
            put(path + "?fileName=" + fileName)
                .with(as("OPERATOR"))
                .contentType("audio/wav")
                .content(Wavs.mulaw(second)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.durationMs").value(1000));
    mvc.perform(get(path).with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.fileName").value(fileName))
        .andExpect(jsonPath("$.durationMs").value(1000));
  }

  private String campaign(String name) throws Exception {
    return body(create(name, "{\"purpose\": \"informational\", \"agentId\": \"" + agentId + "\"}")
            .andExpect(status().isCreated()))
        .get("id")
        .asString();
  }

  private ResultActions create(String name, String settings) throws Exception {
    return mvc.perform(
        post("/api/campaigns")
            .with(as("OPERATOR"))
            .contentType(MediaType.APPLICATION_JSON)
            .content(campaignJson(name, settings)));
  }

  private static String campaignJson(String name, String settings) {
    return "{\"name\": " + JSON.writeValueAsString(name) + ", \"settings\": " + settings + "}";
  }

  private ResultActions importCsv(String id, String csv, RequestPostProcessor as, String... map)
      throws Exception {
    var request =
        post("/api/campaigns/" + id + "/leads")
            .with(as)
            .contentType(CSV)
            .content(csv.getBytes(StandardCharsets.UTF_8));
    if (map.length > 0) {
      request.param("map", map);
    }
    return mvc.perform(request);
  }

  private static JsonNode body(ResultActions result) throws Exception {
    return JSON.readTree(
        result.andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
  }

  private long count(String table) {
    return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
  }
}
