package io.parley.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.Accounts;
import io.parley.support.Accounts.Session;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import jakarta.servlet.RequestDispatcher;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.ResultMatcher;

/** Routing and body errors are problem details too: never a whitelabel page or a stack trace. */
@DbTest
class ProblemResponsesTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;

  private Session admin;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    admin = new Accounts(mvc).firstAdmin();
  }

  @Test
  void unknownRoutesAre404() throws Exception {
    problem(mvc.perform(get("/no-such-page")), 404);
    problem(mvc.perform(get("/api/no-such-thing").with(admin.bearer())), 404);
    problem(mvc.perform(get("/api/users/" + UUID.randomUUID()).with(admin.bearer())), 404)
        .andExpect(jsonPath("$.detail").value(containsString("No user with id")));
  }

  @Test
  void wrongMethodsAre405() throws Exception {
    problem(mvc.perform(get("/api/auth/login")), 405).andExpect(header().string("Allow", "POST"));
    problem(mvc.perform(delete("/api/auth/register")), 405);
    problem(mvc.perform(put("/api/users").with(admin.bearer())), 405);
  }

  @Test
  void bodiesThatAreNotJsonAre400() throws Exception {
    for (String body : new String[] {"", "not json", "{\"email\":", "[]", "42"}) {
      problem(
              mvc.perform(
                  post("/api/auth/login").contentType(MediaType.APPLICATION_JSON).content(body)),
              400)
          .andExpect(jsonPath("$.title").value("Malformed request body"));
    }
  }

  @Test
  void wrongContentTypesAre415() throws Exception {
    problem(
        mvc.perform(
            post("/api/auth/login").contentType(MediaType.APPLICATION_XML).content("<login/>")),
        415);
    problem(
        mvc.perform(
            post("/api/users")
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("email=a@b.c")),
        415);
  }

  @Test
  void aParameterTheFirewallRefusesIs400() throws Exception {
    // A form body on PATCH becomes parameters; the security firewall refuses a name with a line
    // break when it is first read.
    problem(
        mvc.perform(
            patch("/api/users/" + admin.userId())
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("role%0D%0AX=ADMIN")),
        400);
  }

  @Test
  void theContainersErrorPageIsAProblemDetailToo() throws Exception {
    // What the servlet container forwards here, e.g. for a path the security firewall rejects.
    problem(
            mvc.perform(
                get("/error")
                    .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 400)
                    .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/api//users")),
            400)
        .andExpect(jsonPath("$.instance").value("/api//users"));
    problem(
            mvc.perform(
                post("/error")
                    .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 500)
                    .requestAttr(
                        RequestDispatcher.ERROR_EXCEPTION, new IllegalStateException("x"))),
            500)
        .andExpect(jsonPath("$.detail").value(containsString("on our side")));
  }

  private static ResultActions problem(ResultActions result, int status) throws Exception {
    return result
        .andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(status))
        .andExpect(jsonPath("$.title").isNotEmpty())
        .andExpect(jsonPath("$.trace").doesNotExist())
        .andExpect(noStackTrace());
  }

  private static ResultMatcher noStackTrace() {
    return content().string(not(containsString("\tat ")));
  }
}
