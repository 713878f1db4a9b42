-- Campaigns (issue 15): an agent calling a list of leads. settings holds the dialling settings as
-- one JSON document (validated by CampaignSettings before it is written), so a new setting needs no
-- migration; status and the columns the dispatcher filters on are real columns.
CREATE TABLE campaign (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    name             VARCHAR(200)  NOT NULL,
    status           VARCHAR(16) CHARACTER SET ascii NOT NULL,  -- draft | running | paused | completed | cancelled
    settings         JSON          NOT NULL,
    created_at       DATETIME(6)   NOT NULL,
    created_by_id    CHAR(36) CHARACTER SET ascii,
    created_by_email VARCHAR(320),
    updated_at       DATETIME(6)   NOT NULL,
    CONSTRAINT campaign_status CHECK (status IN ('draft', 'running', 'paused', 'completed', 'cancelled')),
    CONSTRAINT campaign_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX campaign_list ON campaign (organisation_id, created_at);

-- One upload of a lead CSV and its counts. Rows that were not simply accepted are listed in
-- lead_import_row, each with its line in the file.
CREATE TABLE lead_import (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    campaign_id      CHAR(36) CHARACTER SET ascii NOT NULL,
    file_name        VARCHAR(200),
    rows_read        INT           NOT NULL,
    accepted         INT           NOT NULL,
    duplicates       INT           NOT NULL,
    invalid          INT           NOT NULL,
    held             INT           NOT NULL,
    in_other_campaigns INT         NOT NULL,
    created_at       DATETIME(6)   NOT NULL,
    created_by_id    CHAR(36) CHARACTER SET ascii,
    created_by_email VARCHAR(320),
    CONSTRAINT lead_import_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaign (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX lead_import_campaign ON lead_import (campaign_id, created_at);

CREATE TABLE lead_import_row (
    import_id   CHAR(36) CHARACTER SET ascii NOT NULL,
    line        INT           NOT NULL,
    outcome     VARCHAR(24) CHARACTER SET ascii NOT NULL,  -- duplicate | invalid | held | in_other_campaign
    phone_text  VARCHAR(64),             -- the phone cell as written (cut to 64 characters)
    reason      VARCHAR(500)  NOT NULL,
    PRIMARY KEY (import_id, line, outcome),
    CONSTRAINT lead_import_row_import FOREIGN KEY (import_id) REFERENCES lead_import (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A lead: one number a campaign will call. zones are libphonenumber's zones for the number
-- (comma-separated IANA names) and time_zone the one the file gave; the calling window is checked
-- in all of them at dial time. claimed_by / lease_until are the dispatcher's claim (a node id and
-- until when it holds the lead); a lead whose lease ran out returns to the pool.
CREATE TABLE campaign_lead (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    campaign_id      CHAR(36) CHARACTER SET ascii NOT NULL,
    phone_number     VARCHAR(16) CHARACTER SET ascii NOT NULL,  -- E.164
    first_name       VARCHAR(100),
    last_name        VARCHAR(100),
    time_zone        VARCHAR(64) CHARACTER SET ascii,
    zones            VARCHAR(500) CHARACTER SET ascii,
    consent_source   VARCHAR(200),
    consent_at       DATETIME(6),
    variables        JSON          NOT NULL,
    status           VARCHAR(16) CHARACTER SET ascii NOT NULL,  -- pending | dialing | retry_at | done | held | dnc | exhausted
    status_reason    VARCHAR(500),
    attempts         INT           NOT NULL DEFAULT 0,
    last_outcome     VARCHAR(32) CHARACTER SET ascii,
    last_call_id     CHAR(36) CHARACTER SET ascii,
    next_attempt_at  DATETIME(6),
    claimed_by       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin,
    lease_until      DATETIME(6),
    import_id        CHAR(36) CHARACTER SET ascii,
    import_line      INT,
    created_at       DATETIME(6)   NOT NULL,
    updated_at       DATETIME(6)   NOT NULL,
    CONSTRAINT campaign_lead_number UNIQUE (campaign_id, phone_number),
    CONSTRAINT campaign_lead_status CHECK
        (status IN ('pending', 'dialing', 'retry_at', 'done', 'held', 'dnc', 'exhausted')),
    CONSTRAINT campaign_lead_campaign FOREIGN KEY (campaign_id) REFERENCES campaign (id),
    CONSTRAINT campaign_lead_import FOREIGN KEY (import_id) REFERENCES lead_import (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX campaign_lead_list ON campaign_lead (campaign_id, status, created_at);
CREATE INDEX campaign_lead_number_any ON campaign_lead (phone_number);
