-- Prompt templates and their immutable versions. A prompt row is the mutable head (name, current
-- version, soft delete); versions are only ever inserted, so what a call used never changes.
-- Authors are stored as id + e-mail without a foreign key: history must outlive user accounts.
CREATE TABLE prompt (
    id               UUID          PRIMARY KEY,
    organisation_id  UUID          NOT NULL REFERENCES organisation (id),
    name             VARCHAR(200)  NOT NULL,
    description      VARCHAR(2000),
    current_version  INTEGER       NOT NULL,
    created_at       TIMESTAMPTZ   NOT NULL,
    created_by_id    UUID          NOT NULL,
    created_by_email VARCHAR(320),
    updated_at       TIMESTAMPTZ   NOT NULL,
    deleted_at       TIMESTAMPTZ
);

CREATE INDEX prompt_listing ON prompt (organisation_id, deleted_at, updated_at);

-- Names are unique (ignoring case) among the prompts that are not deleted.
CREATE UNIQUE INDEX prompt_live_name ON prompt (organisation_id, LOWER(name)) WHERE deleted_at IS NULL;

CREATE TABLE prompt_version (
    prompt_id       UUID         NOT NULL REFERENCES prompt (id),
    version_number  INTEGER      NOT NULL,
    organisation_id UUID         NOT NULL REFERENCES organisation (id),
    content         TEXT         NOT NULL,
    variables       JSONB        NOT NULL,
    note            VARCHAR(500),
    author_id       UUID         NOT NULL,
    author_email    VARCHAR(320),
    created_at      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (prompt_id, version_number)
);
