package io.parley.providers;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/** Health shows which providers are configured, to administrators only, without keys. */
@DbTest
class ProvidersHealthTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  private Accounts accounts;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
  }

  @Test
  void administratorsSeeWhichProvidersHaveNoKey() throws Exception {
    Accounts.Session admin = accounts.firstAdmin();

    mvc.perform(get("/actuator/health").with(admin.bearer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"))
        .andExpect(jsonPath("$.components.providers.status").value("UP"))
        .andExpect(jsonPath("$.components.providers.details['llm:xai']").value("not configured"))
        .andExpect(
            jsonPath("$.components.providers.details['stt:deepgram']").value("not configured"));
  }

  @Test
  void othersSeeOnlyTheOverallStatus() throws Exception {
    accounts.firstAdmin();
    Accounts.Session operator = accounts.user(Role.OPERATOR);

    mvc.perform(get("/actuator/health"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"))
        .andExpect(jsonPath("$.components").doesNotExist());
    mvc.perform(get("/actuator/health").with(operator.bearer()))
        .andExpect(jsonPath("$.components").doesNotExist());
  }
}
