-- Campaigns (issue 15): an agent calling a list of leads. settings holds the dialling settings as
-- one JSON document (validated by CampaignSettings before it is written), so a new setting needs no
-- migration; status and the columns the dispatcher filters on are real columns.
CREATE TABLE campaign (
    id               UUID          PRIMARY KEY,
    organisation_id  UUID          NOT NULL REFERENCES organisation (id),
    name             VARCHAR(200)  NOT NULL,
    status           VARCHAR(16)   NOT NULL,  -- draft | running | paused | completed | cancelled
    settings         JSONB         NOT NULL,
    created_at       TIMESTAMPTZ   NOT NULL,
    created_by_id    UUID,
    created_by_email VARCHAR(320),
    updated_at       TIMESTAMPTZ   NOT NULL,
    CONSTRAINT campaign_status CHECK (status IN ('draft', 'running', 'paused', 'completed', 'cancelled'))
);

CREATE INDEX campaign_list ON campaign (organisation_id, created_at);

-- One upload of a lead CSV and its counts. Rows that were not simply accepted are listed in
-- lead_import_row, each with its line in the file.
CREATE TABLE lead_import (
    id               UUID          PRIMARY KEY,
    campaign_id      UUID          NOT NULL REFERENCES campaign (id),
    file_name        VARCHAR(200),
    rows_read        INT           NOT NULL,
    accepted         INT           NOT NULL,
    duplicates       INT           NOT NULL,
    invalid          INT           NOT NULL,
    held             INT           NOT NULL,
    in_other_campaigns INT         NOT NULL,
    created_at       TIMESTAMPTZ   NOT NULL,
    created_by_id    UUID,
    created_by_email VARCHAR(320)
);

CREATE INDEX lead_import_campaign ON lead_import (campaign_id, created_at);

CREATE TABLE lead_import_row (
    import_id   UUID          NOT NULL REFERENCES lead_import (id),
    line        INT           NOT NULL,
    outcome     VARCHAR(24)   NOT NULL,  -- duplicate | invalid | held | in_other_campaign
    phone_text  VARCHAR(64),             -- the phone cell as written (cut to 64 characters)
    reason      VARCHAR(500)  NOT NULL,
    PRIMARY KEY (import_id, line, outcome)
);

-- A lead: one number a campaign will call. zones are libphonenumber's zones for the number
-- (comma-separated IANA names) and time_zone the one the file gave; the calling window is checked
-- in all of them at dial time. claimed_by / lease_until are the dispatcher's claim (a node id and
-- until when it holds the lead); a lead whose lease ran out returns to the pool.
CREATE TABLE campaign_lead (
    id               UUID          PRIMARY KEY,
    campaign_id      UUID          NOT NULL REFERENCES campaign (id),
    phone_number     VARCHAR(16)   NOT NULL,  -- E.164
    first_name       VARCHAR(100),
    last_name        VARCHAR(100),
    time_zone        VARCHAR(64),
    zones            VARCHAR(500),
    consent_source   VARCHAR(200),
    consent_at       TIMESTAMPTZ,
    variables        JSONB         NOT NULL,
    status           VARCHAR(16)   NOT NULL,  -- pending | dialing | retry_at | done | held | dnc | exhausted
    status_reason    VARCHAR(500),
    attempts         INT           NOT NULL DEFAULT 0,
    last_outcome     VARCHAR(32),
    last_call_id     UUID,
    next_attempt_at  TIMESTAMPTZ,
    claimed_by       VARCHAR(64),
    lease_until      TIMESTAMPTZ,
    import_id        UUID          REFERENCES lead_import (id),
    import_line      INT,
    created_at       TIMESTAMPTZ   NOT NULL,
    updated_at       TIMESTAMPTZ   NOT NULL,
    CONSTRAINT campaign_lead_number UNIQUE (campaign_id, phone_number),
    CONSTRAINT campaign_lead_status CHECK
        (status IN ('pending', 'dialing', 'retry_at', 'done', 'held', 'dnc', 'exhausted'))
);

CREATE INDEX campaign_lead_list ON campaign_lead (campaign_id, status, created_at);
CREATE INDEX campaign_lead_number_any ON campaign_lead (phone_number);
