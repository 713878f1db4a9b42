-- The do-not-call list. A row is one request not to be called; removing it only stamps removed_at
-- (who, when, why), because removals must stay auditable and DNC requests must be kept for years.
-- campaign_id NULL is the company-wide layer (the only one used so far); a campaign's own list will
-- fill it in. There is no foreign key to calls or campaigns: entries must outlive both.
-- Authors are stored as id + e-mail without a foreign key: history must outlive user accounts.
CREATE TABLE do_not_call (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    -- VARCHAR, not CHAR like other ids: MariaDB refuses CHAR columns in generated-column expressions
    -- (their value depends on the PAD_CHAR_TO_FULL_LENGTH mode).
    campaign_id      VARCHAR(36) CHARACTER SET ascii,       -- NULL: company-wide
    phone_number     VARCHAR(16) CHARACTER SET ascii NOT NULL, -- E.164
    source           VARCHAR(20) CHARACTER SET ascii NOT NULL, -- manual | opt_out_call | opt_out_sms | import
    reason           VARCHAR(500),
    call_id          CHAR(36) CHARACTER SET ascii,          -- the call in which the callee opted out
    created_at       DATETIME(6)  NOT NULL,
    created_by_id    CHAR(36) CHARACTER SET ascii,          -- NULL when a call (not a person) added it
    created_by_email VARCHAR(320),
    removed_at       DATETIME(6),
    removed_by_id    CHAR(36) CHARACTER SET ascii,
    removed_by_email VARCHAR(320),
    removal_reason   VARCHAR(500),
    -- One active entry per number and layer. MariaDB has no partial indexes: this generated column
    -- is NULL once the entry is removed (NULLs never collide), and the all-zero UUID stands for the
    -- company-wide layer so that NULL campaign ids collide with each other.
    active_layer     VARCHAR(36) CHARACTER SET ascii GENERATED ALWAYS AS
        (CASE WHEN removed_at IS NULL THEN COALESCE(campaign_id, '00000000-0000-0000-0000-000000000000') END) STORED,
    CONSTRAINT do_not_call_active UNIQUE (organisation_id, active_layer, phone_number),
    CONSTRAINT do_not_call_source CHECK (source IN ('manual', 'opt_out_call', 'opt_out_sms', 'import')),
    CONSTRAINT do_not_call_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Listing and number-prefix search.
CREATE INDEX do_not_call_number ON do_not_call (organisation_id, phone_number);
