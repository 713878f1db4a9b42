-- Accounts, refresh tokens (rotation families) and the audit log.
-- Type map: UUID -> CHAR(36) (ascii), TIMESTAMPTZ -> DATETIME(6) in UTC, JSONB -> JSON, text utf8mb4.
CREATE TABLE app_user (
    id              CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id CHAR(36) CHARACTER SET ascii NOT NULL,
    email           VARCHAR(254) NOT NULL,
    -- Lower-cased copy of the e-mail: unique per organisation, so addresses are case-insensitive.
    -- Binary collation: the copy is already lower case, and unicode_ci would make distinct
    -- addresses collide (it equates 'ß' and 'ss'), unlike PostgreSQL.
    email_lower     VARCHAR(254) COLLATE utf8mb4_bin NOT NULL,
    password_hash   VARCHAR(255) NOT NULL,
    display_name    VARCHAR(100),
    role            VARCHAR(20)  NOT NULL,
    enabled         BOOLEAN      NOT NULL,
    -- Bumped on logout, password change, role change and disabling: older access tokens stop working.
    token_version   INTEGER      NOT NULL,
    created_at      DATETIME(6)  NOT NULL,
    updated_at      DATETIME(6)  NOT NULL,
    CONSTRAINT uq_app_user_email UNIQUE (organisation_id, email_lower),
    CONSTRAINT fk_app_user_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE refresh_token (
    id              CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id CHAR(36) CHARACTER SET ascii NOT NULL,
    user_id         CHAR(36) CHARACTER SET ascii NOT NULL,
    -- All tokens rotated from one login share a family; reuse of a used token revokes the family.
    family_id       CHAR(36) CHARACTER SET ascii NOT NULL,
    -- SHA-256 (hex) of the opaque token; the token itself is never stored.
    token_hash      CHAR(64) CHARACTER SET ascii NOT NULL,
    issued_at       DATETIME(6) NOT NULL,
    expires_at      DATETIME(6) NOT NULL,
    used_at         DATETIME(6),
    revoked_at      DATETIME(6),
    CONSTRAINT uq_refresh_token_hash UNIQUE (token_hash),
    CONSTRAINT fk_refresh_token_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id),
    CONSTRAINT fk_refresh_token_user FOREIGN KEY (user_id) REFERENCES app_user (id),
    INDEX ix_refresh_token_family (family_id),
    INDEX ix_refresh_token_user (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Who did what and when. actor_id has no foreign key: history must survive changes to users.
CREATE TABLE audit_log (
    id              CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id CHAR(36) CHARACTER SET ascii NOT NULL,
    occurred_at     DATETIME(6)  NOT NULL,
    actor_id        CHAR(36) CHARACTER SET ascii,
    actor_email     VARCHAR(254),
    action          VARCHAR(64)  NOT NULL,
    target_type     VARCHAR(40),
    target_id       VARCHAR(100),
    details         JSON         NOT NULL,
    client_address  VARCHAR(64),
    CONSTRAINT fk_audit_log_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id),
    INDEX ix_audit_log_time (organisation_id, occurred_at),
    INDEX ix_audit_log_action (organisation_id, action, occurred_at),
    INDEX ix_audit_log_actor (actor_id, occurred_at),
    INDEX ix_audit_log_target (target_type, target_id, occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
