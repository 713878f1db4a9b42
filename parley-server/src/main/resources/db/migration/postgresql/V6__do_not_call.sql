-- The do-not-call list. A row is one request not to be called; removing it only stamps removed_at
-- (who, when, why), because removals must stay auditable and DNC requests must be kept for years.
-- campaign_id NULL is the company-wide layer (the only one used so far); a campaign's own list will
-- fill it in. There is no foreign key to calls or campaigns: entries must outlive both.
-- Authors are stored as id + e-mail without a foreign key: history must outlive user accounts.
CREATE TABLE do_not_call (
    id               UUID         PRIMARY KEY,
    organisation_id  UUID         NOT NULL REFERENCES organisation (id),
    campaign_id      UUID,                       -- NULL: company-wide
    phone_number     VARCHAR(16)  NOT NULL,      -- E.164
    source           VARCHAR(20)  NOT NULL,      -- manual | opt_out_call | opt_out_sms | import
    reason           VARCHAR(500),
    call_id          UUID,                       -- the call in which the callee opted out
    created_at       TIMESTAMPTZ  NOT NULL,
    created_by_id    UUID,                       -- NULL when a call (not a person) added it
    created_by_email VARCHAR(320),
    removed_at       TIMESTAMPTZ,
    removed_by_id    UUID,
    removed_by_email VARCHAR(320),
    removal_reason   VARCHAR(500),
    CONSTRAINT do_not_call_source CHECK (source IN ('manual', 'opt_out_call', 'opt_out_sms', 'import'))
);

-- One active entry per number and layer; the all-zero UUID stands for the company-wide layer so that
-- NULL campaign ids collide with each other.
CREATE UNIQUE INDEX do_not_call_active ON do_not_call
    (organisation_id, COALESCE(campaign_id, '00000000-0000-0000-0000-000000000000'::uuid), phone_number)
    WHERE removed_at IS NULL;

-- Listing and number-prefix search (text_pattern_ops lets LIKE 'prefix%' use the index under any
-- collation).
CREATE INDEX do_not_call_number ON do_not_call (organisation_id, phone_number text_pattern_ops);
