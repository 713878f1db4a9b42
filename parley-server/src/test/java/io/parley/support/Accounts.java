package io.parley.support;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real accounts and real tokens for end-to-end tests, made through the public API: {@link
 * #firstAdmin()} sets up the first ADMIN on a cleaned database with a setup code ({@link
 * SetupCodes}), {@link #user(Role)} has that admin create an account with the role and signs it in.
 *
 * <pre>{@code
 * Accounts accounts = new Accounts(mvc);
 * Accounts.Session admin = accounts.firstAdmin();
 * Accounts.Session operator = accounts.user(Role.OPERATOR);
 * mvc.perform(get("/api/prompts").with(operator.bearer())).andExpect(status().isOk());
 * }</pre>
 *
 * <p>E-mails are unique per call and every sign-in comes from its own made-up client address, so
 * the in-memory sign-in limits never trip across tests sharing one application context.
 */
public final class Accounts {

  /** Satisfies the password policy; every account made here uses it. */
  public static final String PASSWORD = "correct horse battery staple 42";

  private final MockMvc mvc;
  private final JsonMapper json = JsonMapper.builder().build();
  private Session admin;

  public Accounts(MockMvc mvc) {
    this.mvc = mvc;
  }

  /** A signed-in account with its tokens. */
  public record Session(
      UUID userId,
      String email,
      String password,
      Role role,
      String accessToken,
      String refreshToken) {

    /** Adds {@code Authorization: Bearer <access token>} to a MockMvc request. */
    public RequestPostProcessor bearer() {
      return request -> {
        request.addHeader("Authorization", "Bearer " + accessToken);
        return request;
      };
    }

    public String authorization() {
      return "Bearer " + accessToken;
    }
  }

  /**
   * Sets up the first ADMIN with a setup code ({@code POST /api/auth/setup}) and signs it in; the
   * database must have no administrator.
   */
  public Session firstAdmin() {
    String email = uniqueEmail("admin");
    String code =
        SetupCodes.plant(
            mvc.getDispatcherServlet().getWebApplicationContext().getBean(DataSource.class));
    JsonNode created =
        call(
            "/api/auth/setup",
            Map.of("setupCode", code, "email", email, "password", PASSWORD),
            null,
            201);
    if (!"ADMIN".equals(created.get("role").asString())) {
      throw new IllegalStateException("The set-up account did not become ADMIN: " + created);
    }
    admin = login(email, PASSWORD);
    return admin;
  }

  /** The admin made by {@link #firstAdmin()}, creating it on first use. */
  public Session admin() {
    return admin == null ? firstAdmin() : admin;
  }

  /** Has the admin create an account with this role, then signs it in. */
  public Session user(Role role) {
    String email = uniqueEmail(role.name().toLowerCase());
    call(
        "/api/users",
        Map.of("email", email, "password", PASSWORD, "role", role.name()),
        admin(),
        201);
    return login(email, PASSWORD);
  }

  /** Signs in with the given credentials (from a fresh client address). */
  public Session login(String email, String password) {
    JsonNode tokens =
        call("/api/auth/login", Map.of("email", email, "password", password), null, 200);
    JsonNode user = tokens.get("user");
    return new Session(
        UUID.fromString(user.get("id").asString()),
        user.get("email").asString(),
        password,
        Role.valueOf(user.get("role").asString()),
        tokens.get("accessToken").asString(),
        tokens.get("refreshToken").asString());
  }

  /** A client address no other sign-in in this JVM is likely to use. */
  public static String randomAddress() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
  }

  /**
   * Sends a MockMvc request from this client address. Tests that fail sign-ins on purpose should
   * use a fresh one, or they spend the shared per-address limit of 127.0.0.1 for later tests.
   */
  public static RequestPostProcessor fromAddress(String address) {
    return request -> {
      request.setRemoteAddr(address);
      return request;
    };
  }

  public static String uniqueEmail(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@parley.test";
  }

  private JsonNode call(String path, Map<String, String> body, Session as, int expected) {
    try {
      String address = randomAddress();
      var request =
          post(path)
              .contentType(MediaType.APPLICATION_JSON)
              .content(json.writeValueAsString(body))
              .with(fromAddress(address));
      if (as != null) {
        request = request.with(as.bearer());
      }
      String response =
          mvc.perform(request)
              .andExpect(status().is(expected))
              .andReturn()
              .getResponse()
              .getContentAsString();
      return json.readTree(response);
    } catch (Exception e) {
      throw new IllegalStateException("Account set-up failed at " + path, e);
    }
  }
}
