package io.parley.auth;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The hashes of the setup codes the nodes printed. Kept in the database, not in a node's memory, so
 * that a code printed by one node works on whichever node the browser reaches, and so that the
 * first setup voids every node's code at once.
 */
@Repository
class SetupCodeStore {

  private final JdbcClient jdbc;

  SetupCodeStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(String codeHash, Instant now) {
    jdbc.sql("INSERT INTO setup_code (code_hash, created_at) VALUES (?, ?)")
        .param(codeHash)
        .param(Timestamp.from(now))
        .update();
  }

  boolean exists(String codeHash) {
    return jdbc.sql("SELECT COUNT(*) FROM setup_code WHERE code_hash = ?")
            .param(codeHash)
            .query(Long.class)
            .single()
        > 0;
  }

  void deleteAll() {
    jdbc.sql("DELETE FROM setup_code").update();
  }
}
