package io.parley.support;

import io.parley.shared.Organisations;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes a prompt with its version 1 straight into the tables, for tests of modules that only need
 * a prompt to exist (agents and calls reference one) and should not go through the prompts API.
 */
public final class PromptRows {

  private PromptRows() {}

  public static void insert(
      DataSource dataSource, UUID promptId, String name, String content, UUID authorId) {
    insert(dataSource, promptId, name, content, authorId, "[]");
  }

  /**
   * As {@link #insert(DataSource, UUID, String, String, UUID)}, declaring variables ({@code
   * [{"name": "restaurant", "required": true}]}).
   */
  public static void insert(
      DataSource dataSource,
      UUID promptId,
      String name,
      String content,
      UUID authorId,
      String variablesJson) {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql(
            """
            INSERT INTO prompt (id, organisation_id, name, current_version, created_at,
              created_by_id, created_by_email, updated_at)
            VALUES (?, ?, ?, 1, ?, ?, 'fixture@example.com', ?)
            """)
        .params(promptId, Organisations.DEFAULT_ID, name, now, authorId, now)
        .update();
    jdbc.sql(
            """
            INSERT INTO prompt_version (prompt_id, version_number, organisation_id, content,
              variables, author_id, author_email, created_at)
            VALUES (?, 1, ?, ?, ?, ?, 'fixture@example.com', ?)
            """)
        .params(promptId, Organisations.DEFAULT_ID, content, variablesJson, authorId, now)
        .update();
  }
}
