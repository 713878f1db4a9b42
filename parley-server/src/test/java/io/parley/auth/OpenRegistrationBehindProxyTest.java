package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

/** The settings that change behaviour: open registration, a trusted proxy, shorter limits. */
@DbTest
@TestPropertySource(
    properties = {
      "parley.open-registration=true",
      "parley.trust-proxy=true",
      "parley.access-token-ttl=5m",
      "parley.login.max-failures-per-address=3"
    })
class OpenRegistrationBehindProxyTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;

  private final JsonMapper json = JsonMapper.builder().build();

  @BeforeEach
  void clean() {
    DatabaseCleaner.clean(dataSource);
  }

  @Test
  void withOpenRegistrationEveryAccountIsAViewerEvenTheFirst() throws Exception {
    register(Accounts.uniqueEmail("first")).andExpect(jsonPath("$.role").value("VIEWER"));
    String second = Accounts.uniqueEmail("second");
    register(second).andExpect(jsonPath("$.role").value("VIEWER"));
    login(second, Accounts.PASSWORD, "198.51.100.1")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.expiresIn").value(300));
  }

  @Test
  void behindATrustedProxyTheForwardedAddressIsTheClient() throws Exception {
    String email = Accounts.uniqueEmail("proxied");
    register(email);
    String client = "203.0.113." + (1 + (int) (Math.random() * 250));
    for (int i = 0; i < 3; i++) {
      login(email + ".wrong", "wrong password " + i, client).andExpect(status().isUnauthorized());
    }
    login(email, Accounts.PASSWORD, client)
        .andExpect(status().isTooManyRequests())
        .andExpect(header().exists("Retry-After"));
    login(email, Accounts.PASSWORD, "198.51.100.2").andExpect(status().isOk());
    assertThat(
            jdbc.sql("SELECT DISTINCT client_address FROM audit_log WHERE action = ?")
                .param("auth.login_failed")
                .query(String.class)
                .list())
        .containsExactly(client);
  }

  private ResultActions register(String email) throws Exception {
    return mvc.perform(
            post("/api/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    json.writeValueAsString(Map.of("email", email, "password", Accounts.PASSWORD))))
        .andExpect(status().isCreated());
  }

  /** Every request reaches us from the proxy at 10.0.0.1; the client is in X-Forwarded-For. */
  private ResultActions login(String email, String password, String forwardedFor) throws Exception {
    return mvc.perform(
        post("/api/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .header("X-Forwarded-For", forwardedFor)
            .content(json.writeValueAsString(Map.of("email", email, "password", password)))
            .with(
                r -> {
                  r.setRemoteAddr("10.0.0.1");
                  return r;
                }));
  }
}
