-- Outbound webhooks (issue 18). An administrator registers endpoints (an HTTPS URL and the event
-- types it wants); the secret that signs deliveries is kept sealed (AES-GCM under a key derived from
-- PARLEY_JWT_SECRET), since Parley must be able to sign with it.
--
-- The outbox: when something happens (a call ended, a campaign started), the event row and one
-- delivery row per subscribed endpoint are written in the transaction that recorded the fact,
-- together with the job that delivers it, so nothing is lost across a restart. Each delivery
-- attempt is logged in webhook_attempt; a delivery is retried with backoff for 24 hours.
CREATE TABLE webhook_endpoint (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    url              VARCHAR(2000) NOT NULL,
    description      VARCHAR(200),
    event_types      VARCHAR(1000) CHARACTER SET ascii NOT NULL,  -- space-separated: 'call.ended campaign.*'
    secret_sealed    VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    enabled          BOOLEAN       NOT NULL,
    failing_since    DATETIME(6),             -- first failure since the last success
    disabled_at      DATETIME(6),
    disabled_reason  VARCHAR(500),
    created_by       CHAR(36) CHARACTER SET ascii,
    created_at       DATETIME(6)   NOT NULL,
    updated_at       DATETIME(6)   NOT NULL,
    CONSTRAINT webhook_endpoint_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX webhook_endpoint_list ON webhook_endpoint (organisation_id, created_at);

-- The last sequence number handed out per subject (the call, campaign or message an event is
-- about): a row lock orders the events of one subject.
CREATE TABLE webhook_subject (
    subject_id     CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    last_sequence  BIGINT  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- body is the exact JSON every delivery of the event sends (the signature covers it), as text.
CREATE TABLE webhook_event (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    type             VARCHAR(64) CHARACTER SET ascii NOT NULL,
    subject_id       CHAR(36) CHARACTER SET ascii NOT NULL,
    sequence         BIGINT        NOT NULL,
    dedupe_key       VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    body             MEDIUMTEXT    NOT NULL,
    created_at       DATETIME(6)   NOT NULL,
    CONSTRAINT webhook_event_dedupe UNIQUE (dedupe_key),
    CONSTRAINT webhook_event_sequence UNIQUE (subject_id, sequence),
    CONSTRAINT webhook_event_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE webhook_delivery (
    id                CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id   CHAR(36) CHARACTER SET ascii NOT NULL,
    endpoint_id       CHAR(36) CHARACTER SET ascii NOT NULL,
    event_id          CHAR(36) CHARACTER SET ascii NOT NULL,
    status            VARCHAR(16) CHARACTER SET ascii NOT NULL,  -- pending, delivered, failed (gave up), cancelled
    attempts          INT           NOT NULL,
    next_attempt_at   DATETIME(6),
    last_status_code  INT,
    last_error        VARCHAR(500),
    created_at        DATETIME(6)   NOT NULL,
    updated_at        DATETIME(6)   NOT NULL,
    delivered_at      DATETIME(6),
    CONSTRAINT webhook_delivery_once UNIQUE (endpoint_id, event_id),
    CONSTRAINT webhook_delivery_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id),
    CONSTRAINT webhook_delivery_endpoint FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    CONSTRAINT webhook_delivery_event FOREIGN KEY (event_id) REFERENCES webhook_event (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX webhook_delivery_event ON webhook_delivery (event_id);

CREATE TABLE webhook_attempt (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    delivery_id      CHAR(36) CHARACTER SET ascii NOT NULL,
    endpoint_id      CHAR(36) CHARACTER SET ascii NOT NULL,
    event_id         CHAR(36) CHARACTER SET ascii NOT NULL,
    attempt          INT           NOT NULL,
    attempted_at     DATETIME(6)   NOT NULL,
    duration_ms      INT           NOT NULL,
    status_code      INT,
    error            VARCHAR(500),
    CONSTRAINT webhook_attempt_once UNIQUE (delivery_id, attempt),
    CONSTRAINT webhook_attempt_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id),
    CONSTRAINT webhook_attempt_delivery FOREIGN KEY (delivery_id) REFERENCES webhook_delivery (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX webhook_attempt_log ON webhook_attempt (endpoint_id, attempted_at);
