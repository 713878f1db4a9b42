package io.parley.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import io.parley.shared.AuditEvent;
import io.parley.support.Accounts;
import io.parley.support.Accounts.Session;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@DbTest
class AuditLogTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired ApplicationEventPublisher events;
  @Autowired PlatformTransactionManager transactionManager;

  private final JsonMapper json = JsonMapper.builder().build();
  private Accounts accounts;
  private Session admin;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
    admin = accounts.firstAdmin();
  }

  @Test
  void recordsSignInsAndUserChangesWithWhoWhenAndWhat() throws Exception {
    Session operator = accounts.user(Role.OPERATOR);
    mvc.perform(
            post("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"email\":\"" + operator.email() + "\",\"password\":\"nope nope nope\"}")
                .with(
                    r -> {
                      r.setRemoteAddr("192.0.2.7");
                      return r;
                    }))
        .andExpect(status().isUnauthorized());
    mvc.perform(
            patch("/api/users/" + operator.userId())
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"role\":\"SUPERVISOR\"}"))
        .andExpect(status().isOk());

    JsonNode page = read(get("/api/audit"));
    assertThat(page.get("total").asLong()).isEqualTo(6);
    JsonNode items = page.get("items");
    // Newest first.
    assertThat(items.get(0).get("action").asString()).isEqualTo("user.role_changed");
    assertThat(items.get(0).get("actorId").asString()).isEqualTo(admin.userId().toString());
    assertThat(items.get(0).get("actorEmail").asString()).isEqualTo(admin.email());
    assertThat(items.get(0).get("targetType").asString()).isEqualTo("user");
    assertThat(items.get(0).get("targetId").asString()).isEqualTo(operator.userId().toString());
    assertThat(items.get(0).get("details").get("from").asString()).isEqualTo("OPERATOR");
    assertThat(items.get(0).get("details").get("to").asString()).isEqualTo("SUPERVISOR");
    assertThat(items.get(0).get("occurredAt").asString()).isNotBlank();

    JsonNode failed = items.get(1);
    assertThat(failed.get("action").asString()).isEqualTo("auth.login_failed");
    assertThat(failed.has("actorId")).isFalse();
    assertThat(failed.get("actorEmail").asString()).isEqualTo(operator.email());
    assertThat(failed.get("clientAddress").asString()).isEqualTo("192.0.2.7");
    assertThat(failed.get("details").get("reason").asString()).isEqualTo("wrong_password");

    assertThat(items.findValuesAsString("action"))
        .containsExactly(
            "user.role_changed",
            "auth.login_failed",
            "auth.login",
            "user.created",
            "auth.login",
            "user.setup_admin");
    assertThat(jdbc.sql("SELECT details FROM audit_log").query(String.class).list())
        .noneMatch(details -> details.contains(Accounts.PASSWORD));
  }

  @Test
  void forwardedHeadersAreIgnoredUnlessTheProxyIsTrusted() throws Exception {
    mvc.perform(
            post("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", "203.0.113.50")
                .content("{\"email\":\"" + admin.email() + "\",\"password\":\"nope nope nope\"}")
                .with(
                    r -> {
                      r.setRemoteAddr("192.0.2.99");
                      return r;
                    }))
        .andExpect(status().isUnauthorized());
    assertThat(
            jdbc.sql("SELECT client_address FROM audit_log WHERE action = 'auth.login_failed'")
                .query(String.class)
                .single())
        .isEqualTo("192.0.2.99");
  }

  @Test
  void entriesShareThePublishersTransaction() {
    TransactionTemplate transaction = new TransactionTemplate(transactionManager);
    UUID promptId = UUID.randomUUID();
    assertThatThrownBy(
            () ->
                transaction.executeWithoutResult(
                    status -> {
                      events.publishEvent(
                          event("prompt.created", "prompt", promptId.toString(), Map.of()));
                      throw new IllegalStateException("the change fails after publishing");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(count("prompt.created")).isZero();

    transaction.executeWithoutResult(
        status ->
            events.publishEvent(
                event("prompt.created", "prompt", promptId.toString(), Map.of("name", "Welcome"))));
    assertThat(count("prompt.created")).isEqualTo(1);
  }

  @Test
  void filtersByActionActorTargetAndTime() throws Exception {
    UUID agentId = UUID.randomUUID();
    Instant before = Instant.now().minusSeconds(1);
    events.publishEvent(event("agent.created", "agent", agentId.toString(), Map.of("v", 1)));
    events.publishEvent(event("agent.updated", "agent", agentId.toString(), Map.of("v", 2)));
    events.publishEvent(event("agent.deleted", "agent", UUID.randomUUID().toString(), Map.of()));
    Instant after = Instant.now().plusSeconds(1);

    read(get("/api/audit").param("action", "agent.updated"))
        .get("items")
        .forEach(item -> assertThat(item.get("action").asString()).isEqualTo("agent.updated"));
    mvc.perform(get("/api/audit").param("action", "agent.updated").with(admin.bearer()))
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].details.v").value(2));
    mvc.perform(
            get("/api/audit")
                .param("targetType", "agent")
                .param("targetId", agentId.toString())
                .with(admin.bearer()))
        .andExpect(jsonPath("$.total").value(2))
        .andExpect(jsonPath("$.items[0].action").value("agent.updated"));
    mvc.perform(get("/api/audit").param("actorId", admin.userId().toString()).with(admin.bearer()))
        .andExpect(jsonPath("$.items[*].actorId", everyItem(is(admin.userId().toString()))));
    mvc.perform(
            get("/api/audit")
                .param("targetType", "agent")
                .param("from", before.toString())
                .param("to", after.toString())
                .with(admin.bearer()))
        .andExpect(jsonPath("$.total").value(3));
    mvc.perform(
            get("/api/audit")
                .param("targetType", "agent")
                .param("from", after.toString())
                .with(admin.bearer()))
        .andExpect(jsonPath("$.total").value(0));
    mvc.perform(get("/api/audit").param("size", "2").param("page", "1").with(admin.bearer()))
        .andExpect(jsonPath("$.items.length()").value(2))
        .andExpect(jsonPath("$.page").value(1))
        .andExpect(jsonPath("$.size").value(2));
  }

  @Test
  void onlyAdminsReadTheLog() throws Exception {
    Session supervisor = accounts.user(Role.SUPERVISOR);
    mvc.perform(get("/api/audit").with(supervisor.bearer())).andExpect(status().isForbidden());
    mvc.perform(get("/api/audit")).andExpect(status().isUnauthorized());
  }

  @Test
  void badFiltersAreNamed() throws Exception {
    mvc.perform(get("/api/audit").param("actorId", "someone").with(admin.bearer()))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors.actorId").isNotEmpty());
    mvc.perform(get("/api/audit").param("from", "yesterday").with(admin.bearer()))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors.from").isNotEmpty());
    mvc.perform(
            get("/api/audit")
                .param("from", "2026-02-01T00:00:00Z")
                .param("to", "2026-01-01T00:00:00Z")
                .with(admin.bearer()))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.to").value("must be after from"));
    mvc.perform(get("/api/audit").param("size", "0").with(admin.bearer()))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.size").isNotEmpty());
  }

  private AuditEvent event(
      String action, String targetType, String targetId, Map<String, Object> details) {
    return new AuditEvent(admin.userId(), admin.email(), action, targetType, targetId, details);
  }

  private long count(String action) {
    return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = ?")
        .param(action)
        .query(Long.class)
        .single();
  }

  private JsonNode read(MockHttpServletRequestBuilder request) throws Exception {
    return json.readTree(
        mvc.perform(request.with(admin.bearer()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString());
  }
}
