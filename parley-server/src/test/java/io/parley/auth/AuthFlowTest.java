package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.Accounts;
import io.parley.support.Accounts.Session;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import io.parley.support.SetupCodes;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@DbTest
class AuthFlowTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired JwtEncoder encoder;

  private final JsonMapper json = JsonMapper.builder().build();
  private Accounts accounts;

  @BeforeEach
  void cleanDatabase() {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
  }

  @Test
  void theSetupCodeMakesTheFirstAdminOnceAndRegistrationStaysClosed() throws Exception {
    postJson(
            "/api/auth/register",
            Map.of("email", Accounts.uniqueEmail("early"), "password", Accounts.PASSWORD))
        .andExpect(status().isForbidden())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(containsString("Registration is closed")));
    assertThat(userCount()).isZero();

    String code = SetupCodes.plant(dataSource);
    String email = Accounts.uniqueEmail("First.Admin");
    setup("ABCD-EFGH-JKLM", email, Accounts.PASSWORD)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.setupCode").value(containsString("server log")));
    // Typed back in lower case and without dashes: the same code.
    setup(code.toLowerCase().replace("-", ""), email, Accounts.PASSWORD)
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.role").value("ADMIN"))
        .andExpect(jsonPath("$.email").value(email))
        .andExpect(jsonPath("$.enabled").value(true))
        .andExpect(jsonPath("$.passwordHash").doesNotExist());
    String hash =
        jdbc.sql("SELECT password_hash FROM app_user WHERE email = ?")
            .param(email)
            .query(String.class)
            .single();
    assertThat(hash).startsWith("{argon2}$argon2id$").doesNotContain(Accounts.PASSWORD);

    setup(code, Accounts.uniqueEmail("second"), Accounts.PASSWORD)
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("already been set up")));
    assertThat(jdbc.sql("SELECT COUNT(*) FROM setup_code").query(Long.class).single()).isZero();
    postJson(
            "/api/auth/register",
            Map.of("email", Accounts.uniqueEmail("second"), "password", Accounts.PASSWORD))
        .andExpect(status().isForbidden());
    assertThat(userCount()).isEqualTo(1);
    assertThat(auditActions()).contains("auth.setup_failed", "user.setup_admin");
  }

  @Test
  void setupRejectsWeakPasswordsNamingTheFieldAndKeepsTheCode() throws Exception {
    String code = SetupCodes.plant(dataSource);
    String email = "maria.lopez@parley.test";
    for (String weak :
        List.of(
            "short", "password1234", "my maria.lopez pass", "aaaaaaaaaaaaaaa", " ".repeat(12))) {
      setup(code, email, weak)
          .andExpect(status().isUnprocessableContent())
          .andExpect(jsonPath("$.errors.password").isNotEmpty());
    }
    setup(code, email, "x".repeat(129) + "yz1")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.password").value("must be at most 128 characters long"));
    postJson("/api/auth/setup", Map.of("email", email, "password", Accounts.PASSWORD))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.setupCode").isNotEmpty());
    assertThat(userCount()).isZero();
    setup(code, email, Accounts.PASSWORD).andExpect(status().isCreated());
  }

  @Test
  void registrationRejectsBadInput() throws Exception {
    postJson("/api/auth/register", Map.of("email", "not-an-email", "password", Accounts.PASSWORD))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.email").isNotEmpty());
    postJson("/api/auth/register", Map.of("email", "a@b.c"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.password").isNotEmpty());
    postJson(
            "/api/auth/register",
            Map.of("email", "a@b.c", "password", Accounts.PASSWORD, "displayName", "n".repeat(101)))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.displayName").isNotEmpty());
    mvc.perform(post("/api/auth/register").contentType(MediaType.APPLICATION_JSON).content("{nope"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.title").value("Malformed request body"));
    mvc.perform(post("/api/auth/register").contentType(MediaType.TEXT_PLAIN).content("hello"))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    assertThat(userCount()).isZero();
  }

  @Test
  void duplicateEmailIsRejectedCaseInsensitively() throws Exception {
    Session admin = accounts.firstAdmin();
    postJson(
            "/api/users",
            Map.of(
                "email",
                admin.email().toUpperCase(),
                "password",
                Accounts.PASSWORD,
                "role",
                "VIEWER"),
            admin)
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value("An account with this e-mail already exists."));
  }

  @Test
  void loginReturnsAccessAndRefreshTokens() throws Exception {
    Session admin = accounts.firstAdmin();
    JsonNode tokens =
        body(
            login(admin.email().toUpperCase(), Accounts.PASSWORD)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tokenType").value("Bearer"))
                .andExpect(jsonPath("$.expiresIn").value(900))
                .andExpect(jsonPath("$.refreshExpiresIn").value(14 * 24 * 3600))
                .andExpect(jsonPath("$.user.id").value(admin.userId().toString()))
                .andExpect(jsonPath("$.user.role").value("ADMIN")));
    String refresh = tokens.get("refreshToken").asString();
    assertThat(refresh).hasSizeGreaterThanOrEqualTo(43);
    Long stored =
        jdbc.sql("SELECT COUNT(*) FROM refresh_token WHERE token_hash = ?")
            .param(TokenIssuer.hash(refresh))
            .query(Long.class)
            .single();
    assertThat(stored).isEqualTo(1);
    Long raw =
        jdbc.sql("SELECT COUNT(*) FROM refresh_token WHERE token_hash = ?")
            .param(refresh)
            .query(Long.class)
            .single();
    assertThat(raw).isZero();

    mvc.perform(
            get("/api/auth/me")
                .header("Authorization", "Bearer " + tokens.get("accessToken").asString()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.email").value(admin.email()))
        .andExpect(jsonPath("$.role").value("ADMIN"));
  }

  @Test
  void wrongPasswordAndUnknownAccountGetTheSame401() throws Exception {
    Session admin = accounts.firstAdmin();
    String address = Accounts.randomAddress();
    login(admin.email(), "wrong password 123", address)
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.detail").value("The e-mail or password is not correct."));
    login("nobody@parley.test", "wrong password 123", address)
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.detail").value("The e-mail or password is not correct."));
  }

  @Test
  void loginRejectsBadInput() throws Exception {
    postJson("/api/auth/login", Map.of("email", "", "password", ""))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.email").isNotEmpty())
        .andExpect(jsonPath("$.errors.password").isNotEmpty());
    postJson("/api/auth/login", Map.of("email", "x@y.z", "password", "p".repeat(129)))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.password").isNotEmpty());
    mvc.perform(post("/api/auth/login").contentType(MediaType.APPLICATION_JSON))
        .andExpect(status().isBadRequest());
    mvc.perform(
            post("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"email\": [1,2], \"password\": \"x\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.email").isNotEmpty());
  }

  @Test
  void refreshRotatesAndReuseRevokesTheWholeFamily() throws Exception {
    Session admin = accounts.firstAdmin();
    JsonNode second = body(refresh(admin.refreshToken()).andExpect(status().isOk()));
    String secondRefresh = second.get("refreshToken").asString();
    String secondAccess = second.get("accessToken").asString();
    assertThat(secondRefresh).isNotEqualTo(admin.refreshToken());
    assertThat(second.get("user").get("email").asString()).isEqualTo(admin.email());
    mvc.perform(get("/api/auth/me").header("Authorization", "Bearer " + secondAccess))
        .andExpect(status().isOk());

    // The first token again: reuse. The family dies, including the token rotated from it...
    refresh(admin.refreshToken())
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.detail").value(containsString("already used")));
    refresh(secondRefresh)
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.detail").value(containsString("revoked")));
    // ...and so do the access tokens issued so far.
    mvc.perform(get("/api/auth/me").header("Authorization", "Bearer " + secondAccess))
        .andExpect(status().isUnauthorized())
        .andExpect(header().string("WWW-Authenticate", containsString("invalid_token")));
    assertThat(auditActions()).contains("auth.refresh_token_reused");

    // A fresh sign-in starts a new family and works.
    Session again = accounts.login(admin.email(), Accounts.PASSWORD);
    refresh(again.refreshToken()).andExpect(status().isOk());
  }

  @Test
  void refreshRejectsUnknownExpiredAndMalformedTokens() throws Exception {
    Session admin = accounts.firstAdmin();
    refresh("not-a-token-we-issued")
        .andExpect(status().isUnauthorized())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    jdbc.sql("UPDATE refresh_token SET expires_at = ? WHERE user_id = ?")
        .param(Timestamp.from(Instant.now().minusSeconds(5)))
        .param(admin.userId())
        .update();
    refresh(admin.refreshToken())
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.detail").value(containsString("expired")));
    postJson("/api/auth/refresh", Map.of())
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.refreshToken").isNotEmpty());
    postJson("/api/auth/refresh", Map.of("refreshToken", "r".repeat(201)))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.refreshToken").isNotEmpty());
  }

  @Test
  void logoutRevokesAccessTokensAtOnceAndTheRefreshFamily() throws Exception {
    Session admin = accounts.firstAdmin();
    Session otherDevice = accounts.login(admin.email(), Accounts.PASSWORD);
    mvc.perform(get("/api/auth/me").with(admin.bearer())).andExpect(status().isOk());

    postJson("/api/auth/logout", Map.of("refreshToken", admin.refreshToken()), admin)
        .andExpect(status().isNoContent());

    mvc.perform(get("/api/auth/me").with(admin.bearer())).andExpect(status().isUnauthorized());
    mvc.perform(get("/api/auth/me").with(otherDevice.bearer()))
        .andExpect(status().isUnauthorized());
    refresh(admin.refreshToken()).andExpect(status().isUnauthorized());
    // The other device's refresh token belongs to another family and still works.
    refresh(otherDevice.refreshToken()).andExpect(status().isOk());
    assertThat(auditActions()).contains("auth.logout");
  }

  @Test
  void logoutRejectsBadInputAndIgnoresOtherUsersTokens() throws Exception {
    Session admin = accounts.firstAdmin();
    Session viewer = accounts.user(Role.VIEWER);
    postJson("/api/auth/logout", Map.of("refreshToken", "r".repeat(201)), admin)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.refreshToken").isNotEmpty());
    mvc.perform(
            post("/api/auth/logout")
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{oops"))
        .andExpect(status().isBadRequest());
    // Nothing happened so far.
    mvc.perform(get("/api/auth/me").with(admin.bearer())).andExpect(status().isOk());

    postJson("/api/auth/logout", Map.of("refreshToken", viewer.refreshToken()), admin)
        .andExpect(status().isNoContent());
    refresh(viewer.refreshToken()).andExpect(status().isOk());
    mvc.perform(get("/api/auth/me").with(viewer.bearer())).andExpect(status().isOk());
  }

  @Test
  void logoutWithoutBodyStillRevokesAccessTokens() throws Exception {
    Session admin = accounts.firstAdmin();
    mvc.perform(post("/api/auth/logout").with(admin.bearer())).andExpect(status().isNoContent());
    mvc.perform(get("/api/auth/me").with(admin.bearer())).andExpect(status().isUnauthorized());
    mvc.perform(post("/api/auth/logout")).andExpect(status().isUnauthorized());
  }

  @Test
  void passwordChangeEndsEverySessionAndReturnsAFreshPair() throws Exception {
    Session admin = accounts.firstAdmin();
    String newPassword = "a much better passphrase 2026";
    JsonNode fresh =
        body(
            postJson(
                    "/api/auth/password",
                    Map.of("currentPassword", Accounts.PASSWORD, "newPassword", newPassword),
                    admin)
                .andExpect(status().isOk()));
    mvc.perform(get("/api/auth/me").with(admin.bearer())).andExpect(status().isUnauthorized());
    refresh(admin.refreshToken()).andExpect(status().isUnauthorized());
    mvc.perform(
            get("/api/auth/me")
                .header("Authorization", "Bearer " + fresh.get("accessToken").asString()))
        .andExpect(status().isOk());
    login(admin.email(), Accounts.PASSWORD).andExpect(status().isUnauthorized());
    login(admin.email(), newPassword).andExpect(status().isOk());
    assertThat(auditActions()).contains("auth.password_changed");
    assertThat(auditDetailsText()).doesNotContain(newPassword).doesNotContain(Accounts.PASSWORD);
  }

  @Test
  void passwordChangeRejectsBadInputNamingEachField() throws Exception {
    Session admin = accounts.firstAdmin();
    mvc.perform(
            post("/api/auth/password")
                .with(admin.bearer())
                .with(Accounts.fromAddress(Accounts.randomAddress()))
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    json.writeValueAsString(
                        Map.of("currentPassword", "not my password", "newPassword", "short"))))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.currentPassword").value("is not correct"))
        .andExpect(jsonPath("$.errors.newPassword").value(containsString("at least 12")));
    postJson(
            "/api/auth/password",
            Map.of("currentPassword", Accounts.PASSWORD, "newPassword", Accounts.PASSWORD),
            admin)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.newPassword").value(containsString("differ")));
    postJson("/api/auth/password", Map.of(), admin)
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.currentPassword").isNotEmpty())
        .andExpect(jsonPath("$.errors.newPassword").isNotEmpty());
    // Nothing changed: the old session is still valid.
    mvc.perform(get("/api/auth/me").with(admin.bearer())).andExpect(status().isOk());
  }

  @Test
  void forgedExpiredAndVersionlessTokensAre401ProblemDetails() throws Exception {
    Session admin = accounts.firstAdmin();
    Instant now = Instant.now();
    String expired = token(admin, 0, now.minusSeconds(3600), now.minusSeconds(600));
    String staleVersion = token(admin, 7, now, now.plusSeconds(600));
    String tampered = admin.accessToken().substring(0, admin.accessToken().length() - 3) + "abc";
    // Signed with the right key but valid forever, or of unknown age: refused.
    String noExpiry = token(admin, 0, now, null);
    String noIssuedAt = token(admin, 0, null, now.plusSeconds(600));
    for (String bad : List.of(expired, staleVersion, tampered, "garbage", noExpiry, noIssuedAt)) {
      mvc.perform(get("/api/auth/me").header("Authorization", "Bearer " + bad))
          .andExpect(status().isUnauthorized())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.status").value(401))
          .andExpect(content().string(not(containsString("Exception"))));
    }
    mvc.perform(
            get("/api/auth/me")
                .header("Authorization", "Bearer " + token(admin, 0, now, now.plusSeconds(600))))
        .andExpect(status().isOk());
  }

  @Test
  void openEndpointsIgnoreAStaleAuthorizationHeader() throws Exception {
    Session admin = accounts.firstAdmin();
    Instant now = Instant.now();
    String expired = token(admin, 0, now.minusSeconds(3600), now.minusSeconds(600));
    mvc.perform(
            post("/api/auth/refresh")
                .header("Authorization", "Bearer " + expired)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("refreshToken", admin.refreshToken()))))
        .andExpect(status().isOk());
    mvc.perform(
            post("/api/auth/login")
                .header("Authorization", "Bearer garbage")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    json.writeValueAsString(
                        Map.of("email", admin.email(), "password", Accounts.PASSWORD))))
        .andExpect(status().isOk());
  }

  @Test
  void concurrentSetupsWithTwoNodesCodesMakeExactlyOneAdmin() throws Exception {
    // Two nodes each printed a code; two people use them at once.
    List<String> codes = List.of(SetupCodes.plant(dataSource), SetupCodes.plant(dataSource));
    AtomicInteger next = new AtomicInteger();
    List<Integer> statuses =
        concurrently(
            () ->
                setup(
                        codes.get(next.getAndIncrement()),
                        Accounts.uniqueEmail("racer"),
                        Accounts.PASSWORD)
                    .andReturn()
                    .getResponse()
                    .getStatus());
    assertThat(statuses).containsExactlyInAnyOrder(201, 409);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM app_user WHERE role = 'ADMIN'")
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void concurrentRefreshesWithOneTokenCannotForkTheFamily() throws Exception {
    Session admin = accounts.firstAdmin();
    List<Integer> statuses =
        concurrently(() -> refresh(admin.refreshToken()).andReturn().getResponse().getStatus());
    assertThat(statuses).contains(401);
    // Whatever won, the family is now revoked: no refresh token of it works any more.
    Long live =
        jdbc.sql("SELECT COUNT(*) FROM refresh_token WHERE user_id = ? AND revoked_at IS NULL")
            .param(admin.userId())
            .query(Long.class)
            .single();
    assertThat(live).isZero();
  }

  /** Runs the call on two threads released at the same moment. */
  private static List<Integer> concurrently(Callable<Integer> call) throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    try (var executor = Executors.newFixedThreadPool(2)) {
      Callable<Integer> task =
          () -> {
            start.await();
            return call.call();
          };
      var first = executor.submit(task);
      var second = executor.submit(task);
      return List.of(first.get(), second.get());
    }
  }

  /** A token signed with the server's key; a null instant leaves that claim out. */
  private String token(Session session, int version, Instant issued, Instant expires) {
    JwtClaimsSet.Builder claims =
        JwtClaimsSet.builder()
            .subject(session.userId().toString())
            .claim("email", session.email())
            .claim("roles", List.of("ROLE_ADMIN"))
            .claim("ver", version)
            .id(UUID.randomUUID().toString());
    if (issued != null) {
      claims.issuedAt(issued);
    }
    if (expires != null) {
      claims.expiresAt(expires);
    }
    return encoder
        .encode(
            JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
        .getTokenValue();
  }

  private ResultActions setup(String code, String email, String password) throws Exception {
    return mvc.perform(
        post("/api/auth/setup")
            .contentType(MediaType.APPLICATION_JSON)
            .content(
                json.writeValueAsString(
                    Map.of("setupCode", code, "email", email, "password", password)))
            .with(Accounts.fromAddress(Accounts.randomAddress())));
  }

  private long userCount() {
    return jdbc.sql("SELECT COUNT(*) FROM app_user").query(Long.class).single();
  }

  private List<String> auditActions() {
    return jdbc.sql("SELECT action FROM audit_log").query(String.class).list();
  }

  private String auditDetailsText() {
    return String.join(" ", jdbc.sql("SELECT details FROM audit_log").query(String.class).list());
  }

  private ResultActions login(String email, String password) throws Exception {
    return login(email, password, Accounts.randomAddress());
  }

  private ResultActions login(String email, String password, String address) throws Exception {
    return mvc.perform(
        post("/api/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .content(json.writeValueAsString(Map.of("email", email, "password", password)))
            .with(
                r -> {
                  r.setRemoteAddr(address);
                  return r;
                }));
  }

  private ResultActions refresh(String token) throws Exception {
    return postJson("/api/auth/refresh", Map.of("refreshToken", token));
  }

  private ResultActions postJson(String path, Map<String, ?> body) throws Exception {
    return mvc.perform(
        post(path).contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body)));
  }

  private ResultActions postJson(String path, Map<String, ?> body, Session as) throws Exception {
    return mvc.perform(
        post(path)
            .contentType(MediaType.APPLICATION_JSON)
            .content(json.writeValueAsString(body))
            .with(as.bearer()));
  }

  private JsonNode body(ResultActions result) throws Exception {
    return json.readTree(result.andReturn().getResponse().getContentAsString());
  }
}
