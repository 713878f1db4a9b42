-- AI agents. The columns the database must constrain or search (prompt, phone number) are real
-- columns; every other setting lives in the config document. The service checks the prompt (and
-- its pinned version) through the prompts module's API; the foreign key keeps the row honest too.
-- Prompts are only ever soft-deleted, so the key never blocks a prompt deletion.
CREATE TABLE agent (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    name             VARCHAR(200) NOT NULL,
    prompt_id        CHAR(36) CHARACTER SET ascii NOT NULL,
    prompt_version   INTEGER,                 -- NULL: the latest version
    twilio_number    VARCHAR(16) CHARACTER SET ascii, -- E.164; NULL after delete so it can be reused
    config           JSON         NOT NULL,
    version          INTEGER      NOT NULL,   -- optimistic locking
    created_at       DATETIME(6)  NOT NULL,
    updated_at       DATETIME(6)  NOT NULL,
    deleted_at       DATETIME(6),
    created_by_id    CHAR(36) CHARACTER SET ascii,
    created_by_email VARCHAR(320),
    updated_by_id    CHAR(36) CHARACTER SET ascii,
    updated_by_email VARCHAR(320),
    CONSTRAINT agent_organisation_fk FOREIGN KEY (organisation_id) REFERENCES organisation (id),
    CONSTRAINT agent_prompt_fk FOREIGN KEY (prompt_id) REFERENCES prompt (id),
    CONSTRAINT agent_twilio_number_unique UNIQUE (twilio_number)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX agent_organisation_created ON agent (organisation_id, deleted_at, created_at);
CREATE INDEX agent_prompt ON agent (prompt_id);
