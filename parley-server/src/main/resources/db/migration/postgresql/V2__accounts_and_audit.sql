-- Accounts, refresh tokens (rotation families) and the audit log.
CREATE TABLE app_user (
    id              UUID PRIMARY KEY,
    organisation_id UUID         NOT NULL REFERENCES organisation (id),
    email           VARCHAR(254) NOT NULL,
    -- Lower-cased copy of the e-mail: unique per organisation, so addresses are case-insensitive.
    email_lower     VARCHAR(254) NOT NULL,
    password_hash   VARCHAR(255) NOT NULL,
    display_name    VARCHAR(100),
    role            VARCHAR(20)  NOT NULL,
    enabled         BOOLEAN      NOT NULL,
    -- Bumped on logout, password change, role change and disabling: older access tokens stop working.
    token_version   INTEGER      NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT uq_app_user_email UNIQUE (organisation_id, email_lower)
);

CREATE TABLE refresh_token (
    id              UUID PRIMARY KEY,
    organisation_id UUID        NOT NULL REFERENCES organisation (id),
    user_id         UUID        NOT NULL REFERENCES app_user (id),
    -- All tokens rotated from one login share a family; reuse of a used token revokes the family.
    family_id       UUID        NOT NULL,
    -- SHA-256 (hex) of the opaque token; the token itself is never stored.
    token_hash      CHAR(64)    NOT NULL,
    issued_at       TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    used_at         TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ,
    CONSTRAINT uq_refresh_token_hash UNIQUE (token_hash)
);
CREATE INDEX ix_refresh_token_family ON refresh_token (family_id);
CREATE INDEX ix_refresh_token_user ON refresh_token (user_id);

-- Who did what and when. actor_id has no foreign key: history must survive changes to users.
CREATE TABLE audit_log (
    id              UUID PRIMARY KEY,
    organisation_id UUID         NOT NULL REFERENCES organisation (id),
    occurred_at     TIMESTAMPTZ  NOT NULL,
    actor_id        UUID,
    actor_email     VARCHAR(254),
    action          VARCHAR(64)  NOT NULL,
    target_type     VARCHAR(40),
    target_id       VARCHAR(100),
    details         JSONB        NOT NULL,
    client_address  VARCHAR(64)
);
CREATE INDEX ix_audit_log_time ON audit_log (organisation_id, occurred_at);
CREATE INDEX ix_audit_log_action ON audit_log (organisation_id, action, occurred_at);
CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, occurred_at);
CREATE INDEX ix_audit_log_target ON audit_log (target_type, target_id, occurred_at);
