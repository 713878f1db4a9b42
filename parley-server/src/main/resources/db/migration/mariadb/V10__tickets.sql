-- Tickets: short-lived, single-use, purpose-bound credentials for what a browser cannot send a
-- bearer header with (EventSource, <audio>). Only the SHA-256 of a ticket is kept (hex): a copy of
-- the table admits nobody. token_version is the user's token version when the ticket was issued, so
-- a ticket dies with the access tokens of its user (logout, password change, disabling). Redeeming
-- sets used_at once (an UPDATE guarded by used_at IS NULL); rows are purged after they expire. No
-- foreign key to app_user: the rows live a minute and are never joined.
CREATE TABLE ticket (
    id            CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    token_hash    CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_id       CHAR(36) CHARACTER SET ascii NOT NULL,
    token_version INTEGER       NOT NULL,
    purpose       VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- e.g. live-calls
    resource      VARCHAR(200),  -- what the ticket is for within its purpose, when anything
    issued_at     DATETIME(6)   NOT NULL,
    expires_at    DATETIME(6)   NOT NULL,
    used_at       DATETIME(6),
    CONSTRAINT ticket_token_hash_unique UNIQUE (token_hash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ticket_expiry ON ticket (expires_at);
