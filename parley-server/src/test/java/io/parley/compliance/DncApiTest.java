package io.parley.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.shared.AuditEvent;
import io.parley.shared.InvalidInputException;
import io.parley.shared.Organisations;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@DbTest
@RecordApplicationEvents
class DncApiTest {

  static final UUID USER = UUID.fromString("44444444-4444-4444-4444-444444444444");
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired ApplicationEvents events;
  @Autowired DoNotCallList list;
  @Autowired AuditProbe auditProbe;

  /** Sees audit events as the audit module will: synchronously, inside the publishing call. */
  @TestConfiguration
  static class AuditProbe {
    final List<Boolean> inTransaction = new ArrayList<>();
    volatile String refuse;

    @EventListener
    void on(AuditEvent event) {
      inTransaction.add(TransactionSynchronizationManager.isActualTransactionActive());
      if (event.action().equals(refuse)) {
        throw new IllegalStateException("the audit log could not be written");
      }
    }
  }

  static RequestPostProcessor as(String role) {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_" + role));
  }

  @BeforeEach
  void setUp() {
    auditProbe.inTransaction.clear();
    auditProbe.refuse = null;
    DatabaseCleaner.clean(dataSource);
  }

  // --- adding ---

  @Test
  void addingANewNumberAnswers201AndAddingItAgainAnswers200WithTheSameEntry() throws Exception {
    JsonNode created =
        body(
            add("+14155550123", "Asked on the phone")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.phoneNumber").value("+14155550123"))
                .andExpect(jsonPath("$.source").value("manual"))
                .andExpect(jsonPath("$.reason").value("Asked on the phone"))
                .andExpect(jsonPath("$.createdBy.userId").value(USER.toString()))
                .andExpect(jsonPath("$.createdBy.email").value("ops@example.com"))
                .andExpect(jsonPath("$.active").value(true))
                .andExpect(jsonPath("$.removedAt").doesNotExist()));

    JsonNode again = body(add("+14155550123", "A second request").andExpect(status().isOk()));

    assertThat(again).isEqualTo(created);
    assertThat(activeRows()).isEqualTo(1);
    assertThat(audits()).extracting(AuditEvent::action).containsExactly("dnc.added");
    AuditEvent audit = audits().getFirst();
    assertThat(audit.targetType()).isEqualTo("do_not_call");
    assertThat(audit.targetId()).isEqualTo(created.get("id").asString());
    assertThat(audit.actorId()).isEqualTo(USER);
    assertThat(audit.details())
        .containsEntry("phoneNumber", "+14155550123")
        .containsEntry("source", "manual");
    assertThat(auditProbe.inTransaction).containsExactly(true);
  }

  @Test
  void spreadsheetSpellingsAreStoredInE164SoTheyMatchWhatIsDialled() throws Exception {
    add("+1 (415) 555-0123", null)
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.phoneNumber").value("+14155550123"))
        .andExpect(jsonPath("$.reason").doesNotExist());
    add("+14155550123", null).andExpect(status().isOk());
    assertThat(list.isBlocked(Organisations.DEFAULT_ID, "+1 415.555.0123")).isTrue();
  }

  @Test
  void hindiReasonsSurvive() throws Exception {
    add("+919876543210", "कृपया मुझे फ़ोन न करें").andExpect(status().isCreated());
    mvc.perform(get("/api/dnc/check").param("phoneNumber", "+919876543210").with(as("OPERATOR")))
        .andExpect(jsonPath("$.entry.reason").value("कृपया मुझे फ़ोन न करें"));
  }

  @Test
  void addRefusesBadInputNamingTheField() throws Exception {
    for (String bad :
        new String[] {"", "4155550123", "+1415", "+441632960123", "stop", "+1" + "5".repeat(40)}) {
      add(bad, null)
          .andExpect(status().isUnprocessableContent())
          .andExpect(jsonPath("$.errors.phoneNumber").exists());
    }
    postJson("{\"reason\":\"no number\"}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.phoneNumber").value(containsString("required")));
    add("+14155550123", "x".repeat(501))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.reason").value(containsString("500")));
    postJson("{\"phoneNumber\": ").andExpect(status().isBadRequest());
    postJson("").andExpect(status().isBadRequest());
    postJson("[1,2]").andExpect(status().isBadRequest());
    postJson("null").andExpect(status().isBadRequest());
    postJson("{\"phoneNumber\": {\"digits\": 1}}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.phoneNumber").value("must be text"));
    postJson("{\"phoneNumber\": \"+14155550123\", \"reason\": \"asked\\u0000\"}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.reason").value("must not contain NUL characters"));
    postJson("{\"phoneNumber\": \"+14155550123\", \"note\": \"x\"}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.note").value("is not a known field"));
    postJson("{\"phoneNumber\": 14155550123}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.phoneNumber").exists());

    assertThat(activeRows()).isZero();
    assertThat(audits()).isEmpty();
  }

  @Test
  void rolesAreEnforced() throws Exception {
    mvc.perform(
            post("/api/dnc")
                .with(as("VIEWER"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"phoneNumber\":\"+14155550123\"}"))
        .andExpect(status().isForbidden());
    mvc.perform(
            post("/api/dnc")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"phoneNumber\":\"+14155550123\"}"))
        .andExpect(status().isUnauthorized());
    mvc.perform(get("/api/dnc/check").param("phoneNumber", "+14155550123").with(as("VIEWER")))
        .andExpect(status().isForbidden());
    mvc.perform(get("/api/dnc")).andExpect(status().isUnauthorized());
    add("+14155550123", null).andExpect(status().isCreated());
    mvc.perform(delete("/api/dnc/+14155550123").with(as("OPERATOR")))
        .andExpect(status().isForbidden());
    mvc.perform(
            post("/api/dnc/import")
                .with(as("VIEWER"))
                .contentType("text/csv")
                .content("phone_number\n+14155550124\n"))
        .andExpect(status().isForbidden());

    assertThat(activeRows()).isEqualTo(1);
  }

  @Test
  void aFailedAuditWriteUndoesTheAdd() throws Exception {
    auditProbe.refuse = "dnc.added";
    add("+14155550123", null).andExpect(status().isInternalServerError());
    assertThat(rows()).isZero();
  }

  // --- the public API ---

  @Test
  void anOptOutDuringACallIsRecordedWithTheCallAndNoPerson() {
    UUID callId = UUID.randomUUID();

    DncAddition addition =
        list.add(
            Organisations.DEFAULT_ID,
            "+14155550123",
            DncSource.OPT_OUT_CALL,
            "Said: take me off your list",
            AddedBy.call(callId));

    assertThat(addition.created()).isTrue();
    assertThat(addition.entry().source()).isEqualTo(DncSource.OPT_OUT_CALL);
    assertThat(addition.entry().callId()).isEqualTo(callId);
    assertThat(addition.entry().createdBy()).isNull();
    assertThat(list.isBlocked(Organisations.DEFAULT_ID, "+14155550123")).isTrue();
    assertThat(list.isBlocked(Organisations.DEFAULT_ID, "+14155550124")).isFalse();
    assertThat(list.find(Organisations.DEFAULT_ID, "+14155550123")).contains(addition.entry());

    AuditEvent audit = audits().getFirst();
    assertThat(audit.action()).isEqualTo("dnc.added");
    assertThat(audit.actorId()).isNull();
    assertThat(audit.details())
        .containsEntry("callId", callId.toString())
        .containsEntry("source", "opt_out_call");

    DncAddition again =
        list.add(
            Organisations.DEFAULT_ID,
            "+14155550123",
            DncSource.OPT_OUT_SMS,
            "STOP",
            AddedBy.call(UUID.randomUUID()));
    assertThat(again.created()).isFalse();
    assertThat(again.entry()).isEqualTo(addition.entry());
  }

  @Test
  void theApiNeverReadsABadNumberAsNotBlocked() {
    assertThatThrownBy(() -> list.isBlocked(Organisations.DEFAULT_ID, "4155550123"))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> list.isBlocked(Organisations.DEFAULT_ID, null))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void concurrentAddsOfTheSameNumberCreateOneEntry() throws Exception {
    int threads = 8;
    for (int round = 0; round < 5; round++) {
      String number = "+1415555010" + round;
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Callable<DncAddition>> tasks = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        UUID callId = UUID.randomUUID();
        tasks.add(
            () -> {
              start.await();
              return list.add(
                  Organisations.DEFAULT_ID,
                  number,
                  DncSource.OPT_OUT_CALL,
                  null,
                  AddedBy.call(callId));
            });
      }
      List<DncAddition> results = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        for (Future<DncAddition> future : pool.invokeAll(tasks)) {
          results.add(future.get());
        }
      }

      assertThat(results).filteredOn(DncAddition::created).hasSize(1);
      assertThat(results.stream().map(r -> r.entry().id()).distinct()).hasSize(1);
    }
    assertThat(rows()).isEqualTo(5);
  }

  // --- checking ---

  @Test
  void checkTellsWhetherANumberIsBlocked() throws Exception {
    add("+14155550123", "asked").andExpect(status().isCreated());

    mvc.perform(get("/api/dnc/check").param("phoneNumber", "+14155550123").with(as("OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.blocked").value(true))
        .andExpect(jsonPath("$.entry.phoneNumber").value("+14155550123"));
    mvc.perform(get("/api/dnc/check").param("phoneNumber", "+14155550124").with(as("OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.blocked").value(false))
        .andExpect(jsonPath("$.entry").doesNotExist());
    mvc.perform(get("/api/dnc/check").with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.phoneNumber").exists());
    mvc.perform(get("/api/dnc/check").param("phoneNumber", "14155550124").with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.phoneNumber").exists());
  }

  // --- listing ---

  @Test
  void listsPagesAndSearchesByNumberPrefix() throws Exception {
    for (String number : List.of("+14155550101", "+14155550102", "+14155550103", "+12125550123")) {
      add(number, null).andExpect(status().isCreated());
    }

    mvc.perform(get("/api/dnc").param("size", "2").with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.total").value(4))
        .andExpect(jsonPath("$.size").value(2))
        .andExpect(jsonPath("$.items.length()").value(2))
        .andExpect(jsonPath("$.items[0].phoneNumber").value("+12125550123"))
        .andExpect(jsonPath("$.items[1].phoneNumber").value("+14155550101"));
    mvc.perform(get("/api/dnc").param("size", "2").param("page", "1").with(as("VIEWER")))
        .andExpect(jsonPath("$.items[0].phoneNumber").value("+14155550102"))
        .andExpect(jsonPath("$.items[1].phoneNumber").value("+14155550103"));
    mvc.perform(get("/api/dnc").param("number", "+1415").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(3));
    mvc.perform(get("/api/dnc").param("number", "1212").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].phoneNumber").value("+12125550123"));
    mvc.perform(get("/api/dnc").param("number", "+44").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(0))
        .andExpect(jsonPath("$.items.length()").value(0));
  }

  @Test
  void listRefusesBadParametersNamingThem() throws Exception {
    for (String bad : new String[] {"+1%", "+1_", "abc", "+1 415", "+" + "1".repeat(16)}) {
      mvc.perform(get("/api/dnc").param("number", bad).with(as("VIEWER")))
          .andExpect(status().isUnprocessableContent())
          .andExpect(jsonPath("$.errors.number").exists());
    }
    mvc.perform(get("/api/dnc").param("size", "0").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.size").exists());
    mvc.perform(get("/api/dnc").param("page", "-1").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.page").exists());
    mvc.perform(get("/api/dnc").param("page", "first").with(as("VIEWER")))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors.page").exists());
    mvc.perform(get("/api/dnc").param("includeRemoved", "maybe").with(as("VIEWER")))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors.includeRemoved").exists());
  }

  // --- removing ---

  @Test
  void aSupervisorRemovesByNumberAndTheRemovalIsKeptAndAudited() throws Exception {
    String id = body(add("+14155550123", "asked")).get("id").asString();

    mvc.perform(
            delete("/api/dnc/+14155550123")
                .param("reason", "Consent given in writing")
                .with(as("SUPERVISOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.id").value(id))
        .andExpect(jsonPath("$.active").value(false))
        .andExpect(jsonPath("$.removedAt").exists())
        .andExpect(jsonPath("$.removedBy.email").value("ops@example.com"))
        .andExpect(jsonPath("$.removalReason").value("Consent given in writing"));

    assertThat(list.isBlocked(Organisations.DEFAULT_ID, "+14155550123")).isFalse();
    assertThat(rows()).isEqualTo(1);
    assertThat(activeRows()).isZero();
    assertThat(audits()).extracting(AuditEvent::action).containsExactly("dnc.added", "dnc.removed");
    AuditEvent removal = audits().getLast();
    assertThat(removal.targetId()).isEqualTo(id);
    assertThat(removal.actorId()).isEqualTo(USER);
    assertThat(removal.details())
        .containsEntry("phoneNumber", "+14155550123")
        .containsEntry("reason", "Consent given in writing");

    mvc.perform(get("/api/dnc").with(as("VIEWER"))).andExpect(jsonPath("$.total").value(0));
    mvc.perform(get("/api/dnc").param("includeRemoved", "true").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].removalReason").value("Consent given in writing"));

    // A later request puts the number back with a new entry; the removed one stays on record.
    add("+14155550123", "asked again").andExpect(status().isCreated());
    assertThat(rows()).isEqualTo(2);
    assertThat(activeRows()).isEqualTo(1);
  }

  @Test
  void anAdminRemovesByEntryId() throws Exception {
    String id = body(add("+14155550123", null)).get("id").asString();

    mvc.perform(delete("/api/dnc/" + id).with(as("ADMIN")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.phoneNumber").value("+14155550123"));
    mvc.perform(delete("/api/dnc/" + id).with(as("ADMIN"))).andExpect(status().isNotFound());
  }

  @Test
  void removalRefusesUnknownAndBadTargets() throws Exception {
    mvc.perform(delete("/api/dnc/+14155550123").with(as("SUPERVISOR")))
        .andExpect(status().isNotFound());
    mvc.perform(delete("/api/dnc/" + UUID.randomUUID()).with(as("SUPERVISOR")))
        .andExpect(status().isNotFound());
    mvc.perform(delete("/api/dnc/14155550123").with(as("SUPERVISOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.phoneNumber").exists());
    mvc.perform(delete("/api/dnc/+1415").with(as("SUPERVISOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.phoneNumber").exists());
    add("+14155550123", null).andExpect(status().isCreated());
    mvc.perform(
            delete("/api/dnc/+14155550123").param("reason", "y".repeat(501)).with(as("SUPERVISOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.reason").exists());
    mvc.perform(delete("/api/dnc/+14155550123").param("reason", "gone\0").with(as("SUPERVISOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.reason").value("must not contain NUL characters"));
    assertThat(activeRows()).isEqualTo(1);
    assertThat(audits()).extracting(AuditEvent::action).containsExactly("dnc.added");
  }

  // --- importing ---

  @Test
  void importAddsGoodRowsAndReportsBadOnesByLine() throws Exception {
    add("+12125550123", null).andExpect(status().isCreated());
    String csv =
        """
        name,phone_number,reason
        Asha,+14155550101,asked by letter
        Ben,not a number,
        Chen,"+1 (415) 555-0102","said ""stop"", then hung up"

        Dev,+12125550123,already there
        Eve,+14155550101,repeated in the file
        Fay,,
        Gus,+14155550103,%s
        Hal
        """
            .formatted("z".repeat(501));

    mvc.perform(importCsv(csv, "OPERATOR"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.rows").value(8))
        .andExpect(jsonPath("$.added").value(2))
        .andExpect(jsonPath("$.alreadyPresent").value(2))
        .andExpect(jsonPath("$.errors.length()").value(4))
        .andExpect(jsonPath("$.errors[0].row").value(3))
        .andExpect(jsonPath("$.errors[0].message").value(containsString("phone_number")))
        .andExpect(jsonPath("$.errors[1].row").value(8))
        .andExpect(jsonPath("$.errors[1].message").value(containsString("required")))
        .andExpect(jsonPath("$.errors[2].row").value(9))
        .andExpect(jsonPath("$.errors[2].message").value(containsString("reason")))
        .andExpect(jsonPath("$.errors[3].row").value(10));

    mvc.perform(get("/api/dnc/check").param("phoneNumber", "+14155550102").with(as("OPERATOR")))
        .andExpect(jsonPath("$.entry.source").value("import"))
        .andExpect(jsonPath("$.entry.reason").value("said \"stop\", then hung up"))
        .andExpect(jsonPath("$.entry.createdBy.userId").value(USER.toString()));
    mvc.perform(get("/api/dnc/check").param("phoneNumber", "+14155550101").with(as("OPERATOR")))
        .andExpect(jsonPath("$.entry.reason").value("asked by letter"));
    assertThat(activeRows()).isEqualTo(3);
    assertThat(audits())
        .extracting(AuditEvent::action)
        .containsExactly("dnc.added", "dnc.imported");
    assertThat(audits().getLast().details())
        .isEqualTo(Map.of("rows", 8, "added", 2, "alreadyPresent", 2, "errors", 4));
  }

  @Test
  void aRowWithANulCharacterIsReportedAndSkipped() throws Exception {
    mvc.perform(
            importCsv("phone_number,reason\n+14155550101,fine\n+14155550102,bad\0\n", "OPERATOR"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.added").value(1))
        .andExpect(jsonPath("$.errors[0].row").value(3))
        .andExpect(jsonPath("$.errors[0].message").value("reason must not contain NUL characters"));
    assertThat(activeRows()).isEqualTo(1);
  }

  @Test
  void aFileThatIsNotReadableAsAWholeChangesNothing() throws Exception {
    // Good rows first, then a broken quote: the whole file is refused.
    assertRefused("phone_number\n+14155550101\n\"+14155550102\n", "never closed");
    assertRefused("phone_number;reason\n+14155550101;x\n", "phone_number column");
    assertRefused("", "empty");
    assertRefused("phone_number\n", "no rows");
    assertRefused("phone_number\n\"+14155550101\"x\n", "closing quote");
    StringBuilder tooMany = new StringBuilder("phone_number\n");
    for (int i = 0; i < DncService.MAX_IMPORT_ROWS + 1; i++) {
      tooMany.append("+1415555").append(String.format("%04d", i % 10_000)).append('\n');
    }
    assertRefused(tooMany.toString(), "at most 10000");

    byte[] latin1 =
        "phone_number,reason\n+14155550101,Señor\n".getBytes(StandardCharsets.ISO_8859_1);
    mvc.perform(
            post("/api/dnc/import").with(as("OPERATOR")).contentType("text/csv").content(latin1))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.file").value(containsString("UTF-8")));

    assertThat(rows()).isZero();
    assertThat(audits()).isEmpty();
  }

  @Test
  void importAcceptsAByteOrderMarkAndCrLf() throws Exception {
    mvc.perform(importCsv("\uFEFFPhone_Number\r\n+14155550101\r\n", "OPERATOR"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.added").value(1))
        .andExpect(jsonPath("$.errors.length()").value(0));
  }

  @Test
  void importRefusesOversizedBodiesAndOtherContentTypes() throws Exception {
    byte[] big = new byte[DncController.MAX_IMPORT_BYTES + 1];
    java.util.Arrays.fill(big, (byte) '1');
    mvc.perform(post("/api/dnc/import").with(as("OPERATOR")).contentType("text/csv").content(big))
        .andExpect(status().isContentTooLarge())
        .andExpect(jsonPath("$.detail").value(containsString("1 MiB")));
    mvc.perform(
            post("/api/dnc/import")
                .with(as("OPERATOR"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{}"))
        .andExpect(status().isUnsupportedMediaType());
    assertThat(rows()).isZero();
  }

  @Test
  void aFailedAuditWriteUndoesTheWholeImport() throws Exception {
    auditProbe.refuse = "dnc.imported";
    mvc.perform(importCsv("phone_number\n+14155550101\n+14155550102\n", "OPERATOR"))
        .andExpect(status().isInternalServerError());
    assertThat(rows()).isZero();
    assertThat(auditProbe.inTransaction).containsOnly(true);
  }

  // --- helpers ---

  private void assertRefused(String csv, String message) throws Exception {
    mvc.perform(importCsv(csv, "OPERATOR"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.file").value(containsString(message)));
  }

  private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder
      importCsv(String csv, String role) {
    return post("/api/dnc/import")
        .with(as(role))
        .contentType("text/csv")
        .content(csv.getBytes(StandardCharsets.UTF_8));
  }

  private ResultActions add(String number, String reason) throws Exception {
    var body = MAPPER.createObjectNode().put("phoneNumber", number);
    if (reason != null) {
      body.put("reason", reason);
    }
    return postJson(body.toString());
  }

  private ResultActions postJson(String json) throws Exception {
    return mvc.perform(
        post("/api/dnc")
            .with(as("OPERATOR"))
            .contentType(MediaType.APPLICATION_JSON)
            .content(json));
  }

  private static JsonNode body(ResultActions result) throws Exception {
    return MAPPER.readTree(result.andReturn().getResponse().getContentAsString());
  }

  private long rows() {
    return jdbc.sql("SELECT COUNT(*) FROM do_not_call").query(Long.class).single();
  }

  private long activeRows() {
    return jdbc.sql("SELECT COUNT(*) FROM do_not_call WHERE removed_at IS NULL")
        .query(Long.class)
        .single();
  }

  private List<AuditEvent> audits() {
    return events.stream(AuditEvent.class).toList();
  }
}
