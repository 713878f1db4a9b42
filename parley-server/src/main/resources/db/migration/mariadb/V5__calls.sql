-- Call records. The table is call_record, not call: CALL is a reserved word in MariaDB.
-- One row per attempt, written before Twilio is asked to dial, so a crash can never dial twice.
-- status is what the carrier says (monotonic through status_rank: an update only applies when its
-- rank is higher, so duplicated or late callbacks never move a call backwards); outcome is the one
-- disposition of the attempt, set once. The agent snapshot and prompt version freeze what the call
-- used. Creators are stored as id + e-mail without a foreign key: history outlives user accounts.
-- The *_count columns hand out transcript, tool and turn numbers: incrementing them locks the call
-- row, so concurrent appends to one call get distinct numbers.
CREATE TABLE call_record (
    id                         CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id            CHAR(36) CHARACTER SET ascii NOT NULL,
    agent_id                   CHAR(36) CHARACTER SET ascii,      -- NULL: no agent answers the number
    agent_snapshot             JSON,
    agent_name                 VARCHAR(200),  -- the snapshot's name, for history lists
    prompt_id                  CHAR(36) CHARACTER SET ascii,
    prompt_version             INTEGER,
    direction                  VARCHAR(8) CHARACTER SET ascii NOT NULL,
    from_number                VARCHAR(64)  NOT NULL,
    to_number                  VARCHAR(64)  NOT NULL,
    twilio_call_sid            VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin,
    status                     VARCHAR(16) CHARACTER SET ascii NOT NULL,
    status_rank                SMALLINT     NOT NULL,
    answered_by                VARCHAR(32) CHARACTER SET ascii,
    outcome                    VARCHAR(32) CHARACTER SET ascii,
    outcome_reason             VARCHAR(500),
    lead_variables             JSON,
    idempotency_key            VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin, -- case-sensitive like PostgreSQL
    created_at                 DATETIME(6)  NOT NULL,
    updated_at                 DATETIME(6)  NOT NULL,
    started_at                 DATETIME(6),
    answered_at                DATETIME(6),
    ended_at                   DATETIME(6),
    duration_seconds           INTEGER,
    recording_sid              VARCHAR(64) CHARACTER SET ascii,
    recording_url              VARCHAR(1000),
    recording_duration_seconds INTEGER,
    extracted_data             JSON,
    segment_count              INTEGER      NOT NULL,
    tool_invocation_count      INTEGER      NOT NULL,
    turn_count                 INTEGER      NOT NULL,
    created_by_id              CHAR(36) CHARACTER SET ascii,
    created_by_email           VARCHAR(320),
    CONSTRAINT call_record_organisation_fk FOREIGN KEY (organisation_id) REFERENCES organisation (id),
    CONSTRAINT call_record_agent_fk FOREIGN KEY (agent_id) REFERENCES agent (id),
    CONSTRAINT call_record_prompt_fk FOREIGN KEY (prompt_id) REFERENCES prompt (id),
    CONSTRAINT call_record_sid_unique UNIQUE (twilio_call_sid),
    CONSTRAINT call_record_idempotency_unique UNIQUE (organisation_id, idempotency_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX call_record_history ON call_record (organisation_id, created_at);
CREATE INDEX call_record_agent ON call_record (organisation_id, agent_id, created_at);
CREATE INDEX call_record_unfinished ON call_record (status_rank, created_at);

CREATE TABLE transcript_segment (
    call_id         CHAR(36) CHARACTER SET ascii NOT NULL,
    seq             INTEGER      NOT NULL,
    organisation_id CHAR(36) CHARACTER SET ascii NOT NULL,
    role            VARCHAR(8) CHARACTER SET ascii NOT NULL,
    text            MEDIUMTEXT   NOT NULL,
    start_ms        BIGINT,
    end_ms          BIGINT,
    interrupted     BOOLEAN      NOT NULL,
    created_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (call_id, seq),
    CONSTRAINT transcript_segment_call_fk FOREIGN KEY (call_id) REFERENCES call_record (id),
    CONSTRAINT transcript_segment_organisation_fk FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE call_tool_invocation (
    id              CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    call_id         CHAR(36) CHARACTER SET ascii NOT NULL,
    seq             INTEGER      NOT NULL,
    organisation_id CHAR(36) CHARACTER SET ascii NOT NULL,
    tool_name       VARCHAR(100) NOT NULL,
    tool_call_id    VARCHAR(200),
    arguments       JSON         NOT NULL,
    result          JSON,
    status          VARCHAR(8) CHARACTER SET ascii NOT NULL,
    started_at      DATETIME(6)  NOT NULL,
    duration_ms     BIGINT,
    CONSTRAINT call_tool_invocation_seq_unique UNIQUE (call_id, seq),
    CONSTRAINT call_tool_invocation_call_fk FOREIGN KEY (call_id) REFERENCES call_record (id),
    CONSTRAINT call_tool_invocation_organisation_fk FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Stage timestamps of one turn; NULL where the turn never reached the stage (e.g. barge-in).
CREATE TABLE call_turn (
    call_id               CHAR(36) CHARACTER SET ascii NOT NULL,
    turn_number           INTEGER      NOT NULL,
    organisation_id       CHAR(36) CHARACTER SET ascii NOT NULL,
    caller_speech_end     DATETIME(6),
    stt_final             DATETIME(6),
    llm_request           DATETIME(6),
    llm_first_token       DATETIME(6),
    first_speakable_chunk DATETIME(6),
    first_tts_audio       DATETIME(6),
    first_frame_sent      DATETIME(6),
    interrupted           BOOLEAN      NOT NULL,
    PRIMARY KEY (call_id, turn_number),
    CONSTRAINT call_turn_call_fk FOREIGN KEY (call_id) REFERENCES call_record (id),
    CONSTRAINT call_turn_organisation_fk FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
