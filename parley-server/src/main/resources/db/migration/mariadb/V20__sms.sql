-- Text messages (issue 18): one row per message Parley sent (by the API, or as a reply to a
-- keyword) or received. Rows are written before Twilio is asked to send, so a crash can never text
-- twice: such a row stays 'pending'. status follows Twilio's Message statuses and only moves forward
-- through status_rank, so duplicated or late callbacks never move a message backwards. keyword is
-- what an inbound text was taken for (opt_out, opt_in, help); reply_to links a reply to the text it
-- answers; idempotency_key is the sender's Idempotency-Key, so a retried POST texts once. Authors are id + e-mail without a foreign key, and agents are not referenced either:
-- messages are records that must outlive both.
CREATE TABLE sms_message (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    agent_id         CHAR(36) CHARACTER SET ascii,
    direction        VARCHAR(8) CHARACTER SET ascii NOT NULL,
    from_number      VARCHAR(64)  NOT NULL,
    to_number        VARCHAR(64)  NOT NULL,
    body             TEXT         NOT NULL,
    twilio_sid       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin,
    status           VARCHAR(24) CHARACTER SET ascii NOT NULL,
    status_rank      SMALLINT     NOT NULL,
    error_code       INT,
    error_message    VARCHAR(500),
    keyword          VARCHAR(16) CHARACTER SET ascii,
    reply_to         CHAR(36) CHARACTER SET ascii,
    num_segments     INT,
    num_media        INT          NOT NULL,
    created_at       DATETIME(6)  NOT NULL,
    updated_at       DATETIME(6)  NOT NULL,
    idempotency_key  VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin, -- case-sensitive like PostgreSQL
    created_by_id    CHAR(36) CHARACTER SET ascii,
    created_by_email VARCHAR(320),
    CONSTRAINT sms_message_sid_unique UNIQUE (twilio_sid),
    CONSTRAINT sms_message_idempotency_unique UNIQUE (organisation_id, idempotency_key),
    CONSTRAINT sms_message_direction CHECK (direction IN ('inbound', 'outbound')),
    CONSTRAINT sms_message_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Lists are one organisation's, newest first; the number filters and the conversation view read
-- one party's messages, already in order.
CREATE INDEX sms_message_history ON sms_message (organisation_id, created_at);
CREATE INDEX sms_message_from_number ON sms_message (organisation_id, from_number, created_at);
CREATE INDEX sms_message_to_number ON sms_message (organisation_id, to_number, created_at);
