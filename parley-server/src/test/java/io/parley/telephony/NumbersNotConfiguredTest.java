package io.parley.telephony;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.DbTest;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;

/** Without a Twilio account there are no numbers to list: 503, saying what to set. */
@DbTest
class NumbersNotConfiguredTest {

  @Autowired MockMvc mvc;

  @Test
  void answers503NamingTheSettings() throws Exception {
    mvc.perform(
            get("/api/numbers")
                .with(
                    jwt()
                        .jwt(j -> j.subject("77777777-7777-7777-7777-777777777777"))
                        .authorities(new SimpleGrantedAuthority("ROLE_VIEWER"))))
        .andExpect(status().isServiceUnavailable())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Twilio is not configured"))
        .andExpect(jsonPath("$.detail").value(Matchers.containsString("PARLEY_TWILIO_AUTH_TOKEN")));
  }
}
