package io.parley.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.shared.Organisations;
import io.parley.support.DbTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

@DbTest
class FirstRunTest {

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;

  @Test
  void migratesAndReportsHealthy() throws Exception {
    mvc.perform(get("/actuator/health"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"));
    String name =
        jdbc.sql("SELECT name FROM organisation WHERE id = ?")
            .param(Organisations.DEFAULT_ID)
            .query(String.class)
            .single();
    assertThat(name).isEqualTo("Default");
  }

  @Test
  void instantsRoundTripInUtcWithMicrosecondPrecision() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UUID id = UUID.randomUUID();
    jdbc.sql("INSERT INTO organisation (id, name, created_at) VALUES (?, ?, ?)")
        .param(id)
        .param("नमस्ते संगठन")
        .param(java.sql.Timestamp.from(now))
        .update();
    try {
      var row =
          jdbc.sql("SELECT name, created_at FROM organisation WHERE id = ?")
              .param(id)
              .query((rs, n) -> new Object[] {rs.getString(1), rs.getTimestamp(2).toInstant()})
              .single();
      assertThat(row[0]).isEqualTo("नमस्ते संगठन");
      assertThat(row[1]).isEqualTo(now);
    } finally {
      jdbc.sql("DELETE FROM organisation WHERE id = ?").param(id).update();
    }
  }

  @Test
  void unknownApiPathWithoutTokenIs401ProblemDetail() throws Exception {
    mvc.perform(get("/api/nothing-here"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.status").value(401))
        .andExpect(jsonPath("$.title").value("Unauthorized"));
  }

  @Test
  void unknownRouteOutsideApiIs404ProblemDetail() throws Exception {
    mvc.perform(get("/no-such-page")).andExpect(status().isNotFound());
  }

  @Test
  void servesTheOpenApiDescriptionWithTheBearerScheme() throws Exception {
    mvc.perform(get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.info.title").value("Parley API"))
        .andExpect(jsonPath("$.components.securitySchemes.bearer.scheme").value("bearer"));
  }
}
