-- Outbound webhooks (issue 18). An administrator registers endpoints (an HTTPS URL and the event
-- types it wants); the secret that signs deliveries is kept sealed (AES-GCM under a key derived from
-- PARLEY_JWT_SECRET), since Parley must be able to sign with it.
--
-- The outbox: when something happens (a call ended, a campaign started), the event row and one
-- delivery row per subscribed endpoint are written in the transaction that recorded the fact,
-- together with the job that delivers it, so nothing is lost across a restart. Each delivery
-- attempt is logged in webhook_attempt; a delivery is retried with backoff for 24 hours.
CREATE TABLE webhook_endpoint (
    id               UUID          PRIMARY KEY,
    organisation_id  UUID          NOT NULL REFERENCES organisation (id),
    url              VARCHAR(2000) NOT NULL,
    description      VARCHAR(200),
    event_types      VARCHAR(1000) NOT NULL,  -- space-separated: 'call.ended campaign.*'
    secret_sealed    VARCHAR(200)  NOT NULL,
    enabled          BOOLEAN       NOT NULL,
    failing_since    TIMESTAMPTZ,             -- first failure since the last success
    disabled_at      TIMESTAMPTZ,
    disabled_reason  VARCHAR(500),
    created_by       UUID,
    created_at       TIMESTAMPTZ   NOT NULL,
    updated_at       TIMESTAMPTZ   NOT NULL
);

CREATE INDEX webhook_endpoint_list ON webhook_endpoint (organisation_id, created_at);

-- The last sequence number handed out per subject (the call, campaign or message an event is
-- about): a row lock orders the events of one subject.
CREATE TABLE webhook_subject (
    subject_id     UUID    PRIMARY KEY,
    last_sequence  BIGINT  NOT NULL
);

-- body is the exact JSON every delivery of the event sends (the signature covers it), as text.
CREATE TABLE webhook_event (
    id               UUID          PRIMARY KEY,
    organisation_id  UUID          NOT NULL REFERENCES organisation (id),
    type             VARCHAR(64)   NOT NULL,
    subject_id       UUID          NOT NULL,
    sequence         BIGINT        NOT NULL,
    dedupe_key       VARCHAR(200),
    body             TEXT          NOT NULL,
    created_at       TIMESTAMPTZ   NOT NULL,
    CONSTRAINT webhook_event_dedupe UNIQUE (dedupe_key),
    CONSTRAINT webhook_event_sequence UNIQUE (subject_id, sequence)
);

CREATE TABLE webhook_delivery (
    id                UUID          PRIMARY KEY,
    organisation_id   UUID          NOT NULL REFERENCES organisation (id),
    endpoint_id       UUID          NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    event_id          UUID          NOT NULL REFERENCES webhook_event (id),
    status            VARCHAR(16)   NOT NULL,  -- pending, delivered, failed (gave up), cancelled
    attempts          INT           NOT NULL,
    next_attempt_at   TIMESTAMPTZ,
    last_status_code  INT,
    last_error        VARCHAR(500),
    created_at        TIMESTAMPTZ   NOT NULL,
    updated_at        TIMESTAMPTZ   NOT NULL,
    delivered_at      TIMESTAMPTZ,
    CONSTRAINT webhook_delivery_once UNIQUE (endpoint_id, event_id)
);

CREATE INDEX webhook_delivery_event ON webhook_delivery (event_id);

CREATE TABLE webhook_attempt (
    id               UUID          PRIMARY KEY,
    organisation_id  UUID          NOT NULL REFERENCES organisation (id),
    delivery_id      UUID          NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
    endpoint_id      UUID          NOT NULL,
    event_id         UUID          NOT NULL,
    attempt          INT           NOT NULL,
    attempted_at     TIMESTAMPTZ   NOT NULL,
    duration_ms      INT           NOT NULL,
    status_code      INT,
    error            VARCHAR(500),
    CONSTRAINT webhook_attempt_once UNIQUE (delivery_id, attempt)
);

CREATE INDEX webhook_attempt_log ON webhook_attempt (endpoint_id, attempted_at);
