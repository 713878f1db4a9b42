-- The prompt playground: typed conversations with an agent (or a prompt version and a model) before
-- it goes live. One row per session, owned by one user; kept in the database rather than in a node's
-- memory so that any node can answer the next message. The transcript is a JSON array of entries
-- (user, assistant with its tool calls, tool runs in dry-run mode), rewritten whole after each reply.
-- pending_text is a message waiting for its reply; answering_until is the lease of the request that
-- is streaming that reply (one at a time). Sessions idle for 30 minutes are purged.
CREATE TABLE playground_session (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    owner_id         CHAR(36) CHARACTER SET ascii NOT NULL,
    agent_id         CHAR(36) CHARACTER SET ascii,
    agent_config     LONGTEXT,                -- the agent's configuration when the session began
    prompt_id        CHAR(36) CHARACTER SET ascii NOT NULL,
    prompt_version   INTEGER       NOT NULL,
    provider         VARCHAR(64)   NOT NULL,
    model            VARCHAR(200)  NOT NULL,
    temperature      DOUBLE,
    variables        LONGTEXT      NOT NULL,  -- JSON object of lead variables
    system_prompt    LONGTEXT      NOT NULL,  -- rendered; switch_prompt replaces it
    transcript       LONGTEXT      NOT NULL,  -- JSON array
    entry_count      INTEGER       NOT NULL,
    pending_text     LONGTEXT,
    answering_until  DATETIME(6),
    ended            LONGTEXT,                -- JSON: how the call would have ended, once it has
    created_at       DATETIME(6)   NOT NULL,
    last_used_at     DATETIME(6)   NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX playground_session_owner ON playground_session (owner_id, last_used_at);
CREATE INDEX playground_session_idle ON playground_session (last_used_at);
