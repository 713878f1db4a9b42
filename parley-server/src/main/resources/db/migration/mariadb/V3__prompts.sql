-- Prompt templates and their immutable versions. A prompt row is the mutable head (name, current
-- version, soft delete); versions are only ever inserted, so what a call used never changes.
-- Authors are stored as id + e-mail without a foreign key: history must outlive user accounts.
-- content is MEDIUMTEXT: TEXT holds 64 KB, about 21,000 Devanagari characters in utf8mb4.
CREATE TABLE prompt (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    name             VARCHAR(200)  NOT NULL,
    description      VARCHAR(2000),
    current_version  INTEGER       NOT NULL,
    created_at       DATETIME(6)   NOT NULL,
    created_by_id    CHAR(36) CHARACTER SET ascii NOT NULL,
    created_by_email VARCHAR(320),
    updated_at       DATETIME(6)   NOT NULL,
    deleted_at       DATETIME(6),
    -- Names are unique among the prompts that are not deleted: MariaDB has no partial indexes, so
    -- a generated column is NULL once deleted (NULLs never collide); the collation ignores case.
    live_name        VARCHAR(200) GENERATED ALWAYS AS (CASE WHEN deleted_at IS NULL THEN name END) STORED,
    CONSTRAINT prompt_live_name UNIQUE (organisation_id, live_name),
    CONSTRAINT prompt_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX prompt_listing ON prompt (organisation_id, deleted_at, updated_at);

CREATE TABLE prompt_version (
    prompt_id       CHAR(36) CHARACTER SET ascii NOT NULL,
    version_number  INTEGER      NOT NULL,
    organisation_id CHAR(36) CHARACTER SET ascii NOT NULL,
    content         MEDIUMTEXT   NOT NULL,
    variables       JSON         NOT NULL,
    note            VARCHAR(500),
    author_id       CHAR(36) CHARACTER SET ascii NOT NULL,
    author_email    VARCHAR(320),
    created_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (prompt_id, version_number),
    CONSTRAINT prompt_version_prompt FOREIGN KEY (prompt_id) REFERENCES prompt (id),
    CONSTRAINT prompt_version_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
