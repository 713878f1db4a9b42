package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.Accounts;
import io.parley.support.Accounts.Session;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.json.JsonMapper;

@DbTest
class UserAdminTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;

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
  void adminCreatesListsAndReadsAccounts() throws Exception {
    String email = Accounts.uniqueEmail("Operator.One");
    String id =
        json.readTree(
                send(
                        post("/api/users"),
                        Map.of(
                            "email",
                            email,
                            "password",
                            Accounts.PASSWORD,
                            "role",
                            "OPERATOR",
                            "displayName",
                            "  प्रिया शर्मा  "))
                    .andExpect(status().isCreated())
                    .andExpect(header().string("Location", containsString("/api/users/")))
                    .andExpect(jsonPath("$.role").value("OPERATOR"))
                    .andExpect(jsonPath("$.displayName").value("प्रिया शर्मा"))
                    .andExpect(jsonPath("$.passwordHash").doesNotExist())
                    .andReturn()
                    .getResponse()
                    .getContentAsString())
            .get("id")
            .asString();

    mvc.perform(get("/api/users").with(admin.bearer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.total").value(2))
        .andExpect(jsonPath("$.page").value(0))
        .andExpect(jsonPath("$.size").value(20))
        .andExpect(jsonPath("$.items.length()").value(2))
        .andExpect(jsonPath("$.items[0].passwordHash").doesNotExist());
    mvc.perform(get("/api/users?page=1&size=1").with(admin.bearer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items.length()").value(1))
        .andExpect(jsonPath("$.total").value(2));
    mvc.perform(get("/api/users/" + id).with(admin.bearer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.email").value(email))
        .andExpect(jsonPath("$.displayName").value("प्रिया शर्मा"));

    Session operator = accounts.login(email, Accounts.PASSWORD);
    assertThat(operator.role()).isEqualTo(Role.OPERATOR);
    assertThat(auditActions()).contains("user.created");
  }

  @Test
  void roleChangeRevokesTheUsersAccessTokensAtOnce() throws Exception {
    Session operator = accounts.user(Role.OPERATOR);
    mvc.perform(get("/api/auth/me").with(operator.bearer())).andExpect(status().isOk());

    send(patch("/api/users/" + operator.userId()), Map.of("role", "SUPERVISOR"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.role").value("SUPERVISOR"));

    mvc.perform(get("/api/auth/me").with(operator.bearer())).andExpect(status().isUnauthorized());
    // The refresh token still works and carries the new role.
    mvc.perform(
            post("/api/auth/refresh")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("refreshToken", operator.refreshToken()))))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.user.role").value("SUPERVISOR"));
    assertThat(
            jdbc.sql("SELECT details FROM audit_log WHERE action = 'user.role_changed'")
                .query(String.class)
                .single())
        .contains("OPERATOR")
        .contains("SUPERVISOR");
  }

  @Test
  void disablingEndsSessionsAndBlocksSignInUntilEnabledAgain() throws Exception {
    Session viewer = accounts.user(Role.VIEWER);
    send(patch("/api/users/" + viewer.userId()), Map.of("enabled", false))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.enabled").value(false));

    mvc.perform(get("/api/auth/me").with(viewer.bearer())).andExpect(status().isUnauthorized());
    mvc.perform(
            post("/api/auth/refresh")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("refreshToken", viewer.refreshToken()))))
        .andExpect(status().isUnauthorized());
    // The right and a wrong password get the same answer: a disabled account is no password oracle.
    String right = signIn(viewer.email(), Accounts.PASSWORD, 401);
    String wrong = signIn(viewer.email(), "not the password at all 7", 401);
    assertThat(right).isEqualTo(wrong).contains("The e-mail or password is not correct.");
    // The audit log still tells the two apart.
    mvc.perform(get("/api/audit").param("action", "auth.login_failed").with(admin.bearer()))
        .andExpect(
            jsonPath(
                "$.items[*].details.reason", containsInAnyOrder("wrong_password", "disabled")));

    send(patch("/api/users/" + viewer.userId()), Map.of("enabled", true))
        .andExpect(status().isOk());
    accounts.login(viewer.email(), Accounts.PASSWORD);
    assertThat(auditActions()).contains("user.disabled", "user.enabled");
  }

  @Test
  void theLastEnabledAdminCannotBeDemotedOrDisabled() throws Exception {
    send(patch("/api/users/" + admin.userId()), Map.of("role", "OPERATOR"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("last enabled ADMIN")));
    send(patch("/api/users/" + admin.userId()), Map.of("enabled", false))
        .andExpect(status().isConflict());

    Session second = accounts.user(Role.ADMIN);
    send(patch("/api/users/" + admin.userId()), Map.of("role", "VIEWER"))
        .andExpect(status().isOk());
    // The demoted admin's token died with the change; the second admin is now the last one.
    mvc.perform(get("/api/users").with(admin.bearer())).andExpect(status().isUnauthorized());
    mvc.perform(
            patch("/api/users/" + second.userId())
                .with(second.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": false}"))
        .andExpect(status().isConflict());
  }

  @Test
  void badInputOnEveryUserEndpoint() throws Exception {
    send(post("/api/users"), Map.of("email", "nope", "password", "short", "role", "ADMIN"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.email").isNotEmpty());
    send(
            post("/api/users"),
            Map.of("email", "ok@parley.test", "password", "short", "role", "ADMIN"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.password").value(containsString("at least 12")));
    send(post("/api/users"), Map.of("email", "ok@parley.test", "password", Accounts.PASSWORD))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.role").isNotEmpty());
    send(
            post("/api/users"),
            Map.of("email", "ok@parley.test", "password", Accounts.PASSWORD, "role", "KING"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            jsonPath("$.errors.role").value("must be one of ADMIN, SUPERVISOR, OPERATOR, VIEWER"));

    mvc.perform(get("/api/users?size=500").with(admin.bearer()))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.size").isNotEmpty());
    mvc.perform(get("/api/users?page=-1").with(admin.bearer()))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.page").isNotEmpty());
    mvc.perform(get("/api/users?page=abc").with(admin.bearer()))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors.page").isNotEmpty());

    mvc.perform(get("/api/users/not-a-uuid").with(admin.bearer()))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors.id").isNotEmpty());
    mvc.perform(get("/api/users/" + UUID.randomUUID()).with(admin.bearer()))
        .andExpect(status().isNotFound());

    send(patch("/api/users/" + UUID.randomUUID()), Map.of("role", "VIEWER"))
        .andExpect(status().isNotFound());
    send(patch("/api/users/" + admin.userId()), Map.of("enabled", "sometimes"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.enabled").isNotEmpty());
    send(patch("/api/users/" + admin.userId()), Map.of("displayName", "d".repeat(101)))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.displayName").isNotEmpty());
    mvc.perform(
            patch("/api/users/" + admin.userId())
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("[not json"))
        .andExpect(status().isBadRequest());

    assertThat(jdbc.sql("SELECT COUNT(*) FROM app_user").query(Long.class).single()).isEqualTo(1);
  }

  @Test
  void unknownFieldsAreRefusedNotIgnored() throws Exception {
    // "enabled": false on create used to make an enabled account.
    send(
            post("/api/users"),
            Map.of(
                "email",
                "off@parley.test",
                "password",
                Accounts.PASSWORD,
                "role",
                "VIEWER",
                "enabled",
                false))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.enabled").value("is not a known field"));
    Session viewer = accounts.user(Role.VIEWER);
    // and PATCH answered 200 while changing nothing.
    for (String field : List.of("email", "password", "tokenVersion")) {
      send(patch("/api/users/" + viewer.userId()), Map.of(field, "x@parley.test"))
          .andExpect(status().isUnprocessableContent())
          .andExpect(jsonPath("$.errors." + field).value("is not a known field"));
    }
    assertThat(jdbc.sql("SELECT COUNT(*) FROM app_user").query(Long.class).single()).isEqualTo(2);
  }

  @Test
  void aNulCharacterInADisplayNameIsRefusedNamingTheField() throws Exception {
    send(
            post("/api/users"),
            Map.of(
                "email",
                "nul@parley.test",
                "password",
                Accounts.PASSWORD,
                "role",
                "VIEWER",
                "displayName",
                "Nul\0"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.displayName").value("must not contain NUL characters"));
    send(patch("/api/users/" + admin.userId()), Map.of("displayName", "A\0"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.displayName").value("must not contain NUL characters"));
    assertThat(jdbc.sql("SELECT COUNT(*) FROM app_user").query(Long.class).single()).isEqualTo(1);
  }

  private String signIn(String email, String password, int status) throws Exception {
    return mvc.perform(
            post("/api/auth/login")
                .with(Accounts.fromAddress(Accounts.randomAddress()))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("email", email, "password", password))))
        .andExpect(status().is(status))
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  private ResultActions send(MockHttpServletRequestBuilder request, Map<String, ?> body)
      throws Exception {
    return mvc.perform(
        request
            .with(admin.bearer())
            .contentType(MediaType.APPLICATION_JSON)
            .content(json.writeValueAsString(body)));
  }

  private List<String> auditActions() {
    return jdbc.sql("SELECT action FROM audit_log").query(String.class).list();
  }
}
