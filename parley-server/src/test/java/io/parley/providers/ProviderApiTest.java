package io.parley.providers;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.DbTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

@DbTest
@TestPropertySource(
    properties = {
      "PARLEY_LLM_OPENAI_BASE_URL=https://api.openai.com/v1",
      "PARLEY_LLM_OPENAI_API_KEY=sk-test-secret-openai",
      "PARLEY_ELEVENLABS_API_KEY=el-test-secret"
    })
class ProviderApiTest {

  @Autowired MockMvc mvc;

  @Test
  void operatorsSeeEveryProviderAndWhetherItIsConfiguredButNoKey() throws Exception {
    mvc.perform(get("/api/providers").with(as("ROLE_OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.total").value(6))
        .andExpect(jsonPath("$.items[0].id").value("openai"))
        .andExpect(jsonPath("$.items[0].kind").value("LLM"))
        .andExpect(jsonPath("$.items[0].baseUrl").value("https://api.openai.com/v1"))
        .andExpect(jsonPath("$.items[0].configured").value(true))
        .andExpect(jsonPath("$.items[1].id").value("xai"))
        .andExpect(jsonPath("$.items[1].configured").value(false))
        .andExpect(jsonPath("$.items[?(@.id == 'elevenlabs')].configured").value(true))
        .andExpect(jsonPath("$.items[?(@.id == 'twilio')].kind").value("TELEPHONY"))
        .andExpect(content().string(not(containsString("secret"))))
        .andExpect(content().string(not(containsString("apiKey"))));
  }

  @Test
  void viewersMayNotListProviders() throws Exception {
    mvc.perform(get("/api/providers").with(as("ROLE_VIEWER")))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.status").value(403));
  }

  @Test
  void anonymousCallersAreTurnedAway() throws Exception {
    mvc.perform(get("/api/providers")).andExpect(status().isUnauthorized());
  }

  private static RequestPostProcessor as(String role) {
    return jwt()
        .jwt(j -> j.subject(UUID.randomUUID().toString()).claim("email", "op@example.com"))
        .authorities(new SimpleGrantedAuthority(role));
  }
}
