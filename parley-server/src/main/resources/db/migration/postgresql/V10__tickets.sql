-- Tickets: short-lived, single-use, purpose-bound credentials for what a browser cannot send a
-- bearer header with (EventSource, <audio>). Only the SHA-256 of a ticket is kept (hex): a copy of
-- the table admits nobody. token_version is the user's token version when the ticket was issued, so
-- a ticket dies with the access tokens of its user (logout, password change, disabling). Redeeming
-- sets used_at once (an UPDATE guarded by used_at IS NULL); rows are purged after they expire. No
-- foreign key to app_user: the rows live a minute and are never joined.
CREATE TABLE ticket (
    id            UUID          PRIMARY KEY,
    token_hash    CHAR(64)      NOT NULL,
    user_id       UUID          NOT NULL,
    token_version INTEGER       NOT NULL,
    purpose       VARCHAR(32)   NOT NULL,  -- e.g. live-calls
    resource      VARCHAR(200),            -- what the ticket is for within its purpose, when anything
    issued_at     TIMESTAMPTZ   NOT NULL,
    expires_at    TIMESTAMPTZ   NOT NULL,
    used_at       TIMESTAMPTZ,
    CONSTRAINT ticket_token_hash_unique UNIQUE (token_hash)
);

CREATE INDEX ticket_expiry ON ticket (expires_at);
