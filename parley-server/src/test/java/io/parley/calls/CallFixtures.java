package io.parley.calls;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;

import io.parley.shared.Organisations;
import io.parley.support.PromptRows;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** Agent rows for calls to reference, and signed-in users. */
final class CallFixtures {

  static final UUID PROMPT = UUID.fromString("11111111-1111-1111-1111-111111111111");
  static final UUID AGENT = UUID.fromString("44444444-4444-4444-4444-444444444444");
  static final UUID OTHER_AGENT = UUID.fromString("55555555-5555-5555-5555-555555555555");
  static final UUID USER = UUID.fromString("33333333-3333-3333-3333-333333333333");
  static final String SNAPSHOT =
      "{\"name\": \"आशा — clinic reminders\", \"language\": \"hi-IN\", \"tools\": []}";

  private CallFixtures() {}

  /** A prompt and two agents, written as rows (the calls module does not use the agents API). */
  static void createAgents(DataSource dataSource) {
    PromptRows.insert(dataSource, PROMPT, "Reminders", "You remind patients.", USER);
    JdbcClient jdbc = JdbcClient.create(dataSource);
    Timestamp now = Timestamp.from(Instant.now());
    for (UUID agent : new UUID[] {AGENT, OTHER_AGENT}) {
      jdbc.sql(
              """
              INSERT INTO agent (id, organisation_id, name, prompt_id, prompt_version, config,
                version, created_at, updated_at)
              VALUES (?, ?, ?, ?, 1, '{}', 1, ?, ?)
              """)
          .params(agent, Organisations.DEFAULT_ID, "Agent " + agent, PROMPT, now, now)
          .update();
    }
  }

  static NewCall.Builder outbound(String to) {
    return NewCall.builder(CallDirection.OUTBOUND, "+14155550100", to)
        .agent(AGENT, SNAPSHOT)
        .prompt(PROMPT, 1)
        .leadVariables("{\"first_name\": \"Priya\"}");
  }

  static RequestPostProcessor as(String role) {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "viewer@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_" + role));
  }
}
