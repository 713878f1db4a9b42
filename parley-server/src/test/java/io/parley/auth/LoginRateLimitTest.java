package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.Accounts;
import io.parley.support.Accounts.Session;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

/** The default limits: 5 failures per account and 20 per client address in 15 minutes. */
@DbTest
class LoginRateLimitTest {

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
  void fiveFailuresLockTheAccountEvenForTheRightPassword() throws Exception {
    for (int i = 0; i < 5; i++) {
      // A new address each time: only the account limit can trip.
      login(admin.email(), "wrong password " + i, Accounts.randomAddress())
          .andExpect(status().isUnauthorized());
    }
    login(admin.email(), Accounts.PASSWORD, Accounts.randomAddress())
        .andExpect(status().isTooManyRequests())
        .andExpect(header().string("Retry-After", org.hamcrest.Matchers.matchesPattern("\\d+")))
        .andExpect(jsonPath("$.title").value("Too many attempts"))
        .andExpect(jsonPath("$.detail").value(containsString("try again in")))
        .andExpect(jsonPath("$.retryAfterSeconds").isNumber());
    String retryAfter =
        login(admin.email(), Accounts.PASSWORD, Accounts.randomAddress())
            .andReturn()
            .getResponse()
            .getHeader("Retry-After");
    assertThat(Long.parseLong(retryAfter)).isBetween(1L, 15 * 60L);

    // Other accounts are not affected.
    Session other = accounts.user(Role.VIEWER);
    assertThat(other.accessToken()).isNotBlank();

    long failures =
        jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed'")
            .query(Long.class)
            .single();
    assertThat(failures).isEqualTo(5);
    assertThat(
            jdbc.sql(
                    "SELECT details FROM audit_log WHERE action = 'auth.login_failed'"
                        + " ORDER BY occurred_at DESC LIMIT 1")
                .query(String.class)
                .single())
        .contains("throttled");
  }

  @Test
  void twentyFailuresFromOneAddressLockThatAddressForEveryAccount() throws Exception {
    String address = Accounts.randomAddress();
    for (int i = 0; i < 20; i++) {
      // A new account name each time: only the address limit can trip.
      login(Accounts.uniqueEmail("guess"), "wrong password " + i, address)
          .andExpect(status().isUnauthorized());
    }
    login(admin.email(), Accounts.PASSWORD, address)
        .andExpect(status().isTooManyRequests())
        .andExpect(header().exists("Retry-After"));
    // The same account from elsewhere is fine.
    login(admin.email(), Accounts.PASSWORD, Accounts.randomAddress()).andExpect(status().isOk());
  }

  @Test
  void aSuccessfulLoginClearsTheAccountsFailures() throws Exception {
    for (int i = 0; i < 4; i++) {
      login(admin.email(), "wrong password " + i, Accounts.randomAddress())
          .andExpect(status().isUnauthorized());
    }
    login(admin.email(), Accounts.PASSWORD, Accounts.randomAddress()).andExpect(status().isOk());
    for (int i = 0; i < 4; i++) {
      login(admin.email(), "wrong again " + i, Accounts.randomAddress())
          .andExpect(status().isUnauthorized());
    }
    login(admin.email(), Accounts.PASSWORD, Accounts.randomAddress()).andExpect(status().isOk());
  }

  @Test
  void guessingTheCurrentPasswordOnPasswordChangeCountsToo() throws Exception {
    for (int i = 0; i < 5; i++) {
      mvc.perform(
              post("/api/auth/password")
                  .with(admin.bearer())
                  .with(Accounts.fromAddress(Accounts.randomAddress()))
                  .contentType(MediaType.APPLICATION_JSON)
                  .content(
                      json.writeValueAsString(
                          Map.of(
                              "currentPassword",
                              "guess number " + i,
                              "newPassword",
                              "a brand new passphrase"))))
          .andExpect(status().isUnprocessableContent());
    }
    login(admin.email(), Accounts.PASSWORD, Accounts.randomAddress())
        .andExpect(status().isTooManyRequests());
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
}
