-- AI agents. The columns the database must constrain or search (prompt, phone number) are real
-- columns; every other setting lives in the config document. The service checks the prompt (and
-- its pinned version) through the prompts module's API; the foreign key keeps the row honest too.
-- Prompts are only ever soft-deleted, so the key never blocks a prompt deletion.
CREATE TABLE agent (
    id               UUID PRIMARY KEY,
    organisation_id  UUID         NOT NULL REFERENCES organisation (id),
    name             VARCHAR(200) NOT NULL,
    prompt_id        UUID         NOT NULL,
    prompt_version   INTEGER,                 -- NULL: the latest version
    twilio_number    VARCHAR(16),             -- E.164; set to NULL on delete so it can be reused
    config           JSONB        NOT NULL,
    version          INTEGER      NOT NULL,   -- optimistic locking
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    deleted_at       TIMESTAMPTZ,
    created_by_id    UUID,
    created_by_email VARCHAR(320),
    updated_by_id    UUID,
    updated_by_email VARCHAR(320),
    CONSTRAINT agent_prompt_fk FOREIGN KEY (prompt_id) REFERENCES prompt (id),
    CONSTRAINT agent_twilio_number_unique UNIQUE (twilio_number)
);

CREATE INDEX agent_organisation_created ON agent (organisation_id, deleted_at, created_at);
CREATE INDEX agent_prompt ON agent (prompt_id);
