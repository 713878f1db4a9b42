package io.parley.auth;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.Accounts;
import io.parley.support.Accounts.Session;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Who may call what: 401 without a valid token, 403 below the required role. */
@DbTest
class AccessRulesTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;

  private final Map<Role, Session> sessions = new EnumMap<>(Role.class);

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    Accounts accounts = new Accounts(mvc);
    sessions.put(Role.ADMIN, accounts.firstAdmin());
    for (Role role : List.of(Role.SUPERVISOR, Role.OPERATOR, Role.VIEWER)) {
      sessions.put(role, accounts.user(role));
    }
  }

  /** An endpoint and the least role that may call it. */
  private record Rule(
      String name, Function<Session, MockHttpServletRequestBuilder> request, Role least) {}

  private List<Rule> rules() {
    Session viewer = sessions.get(Role.VIEWER);
    return List.of(
        new Rule("list users", s -> get("/api/users"), Role.ADMIN),
        new Rule("read a user", s -> get("/api/users/" + viewer.userId()), Role.ADMIN),
        new Rule(
            "create a user",
            s -> json(post("/api/users"), "{\"email\":\"x@parley.test\"}"),
            Role.ADMIN),
        new Rule(
            "change a user", s -> json(patch("/api/users/" + viewer.userId()), "{}"), Role.ADMIN),
        new Rule("read the audit log", s -> get("/api/audit"), Role.ADMIN),
        new Rule("who am I", s -> get("/api/auth/me"), Role.VIEWER));
  }

  @Test
  void everyRoleGetsExactlyWhatItsRankAllows() throws Exception {
    for (Rule rule : rules()) {
      for (Role role : Role.values()) {
        Session session = sessions.get(role);
        boolean allowed = role.ordinal() <= rule.least().ordinal();
        var result =
            mvc.perform(rule.request().apply(session).with(session.bearer()))
                .andReturn()
                .getResponse();
        int expectedDenied = 403;
        if (allowed && (result.getStatus() == expectedDenied || result.getStatus() == 401)) {
          throw new AssertionError(role + " was refused: " + rule.name());
        }
        if (!allowed && result.getStatus() != expectedDenied) {
          throw new AssertionError(
              role + " should get 403 for " + rule.name() + " but got " + result.getStatus());
        }
      }
    }
  }

  @Test
  void forbiddenIsAProblemDetail() throws Exception {
    mvc.perform(get("/api/users").with(sessions.get(Role.SUPERVISOR).bearer()))
        .andExpect(status().isForbidden())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Forbidden"))
        .andExpect(jsonPath("$.detail").value("Your role does not allow this operation."));
  }

  @Test
  void withoutATokenEveryProtectedEndpointIs401() throws Exception {
    Session any = sessions.get(Role.ADMIN);
    for (Rule rule : rules()) {
      mvc.perform(rule.request().apply(any))
          .andExpect(status().isUnauthorized())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.title").value("Unauthorized"));
    }
    for (var request :
        List.of(
            post("/api/auth/logout"),
            json(post("/api/auth/password"), "{}"),
            get("/api/no-such-thing"),
            post("/api/no-such-thing"))) {
      mvc.perform(request).andExpect(status().isUnauthorized());
    }
  }

  @Test
  void unknownApiPathWithAValidTokenIs404() throws Exception {
    mvc.perform(get("/api/no-such-thing").with(sessions.get(Role.VIEWER).bearer()))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }

  private static MockHttpServletRequestBuilder json(
      MockHttpServletRequestBuilder request, String body) {
    return request.contentType(MediaType.APPLICATION_JSON).content(body);
  }
}
