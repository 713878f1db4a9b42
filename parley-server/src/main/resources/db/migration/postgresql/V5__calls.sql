-- Call records. The table is call_record, not call: CALL is a reserved word in MariaDB.
-- One row per attempt, written before Twilio is asked to dial, so a crash can never dial twice.
-- status is what the carrier says (monotonic through status_rank: an update only applies when its
-- rank is higher, so duplicated or late callbacks never move a call backwards); outcome is the one
-- disposition of the attempt, set once. The agent snapshot and prompt version freeze what the call
-- used. Creators are stored as id + e-mail without a foreign key: history outlives user accounts.
-- The *_count columns hand out transcript, tool and turn numbers: incrementing them locks the call
-- row, so concurrent appends to one call get distinct numbers.
CREATE TABLE call_record (
    id                         UUID          PRIMARY KEY,
    organisation_id            UUID          NOT NULL REFERENCES organisation (id),
    agent_id                   UUID          REFERENCES agent (id),     -- NULL: no agent answers the number
    agent_snapshot             JSONB,
    agent_name                 VARCHAR(200),  -- the snapshot's name, for history lists
    prompt_id                  UUID          REFERENCES prompt (id),
    prompt_version             INTEGER,
    direction                  VARCHAR(8)    NOT NULL,
    from_number                VARCHAR(64)   NOT NULL,
    to_number                  VARCHAR(64)   NOT NULL,
    twilio_call_sid            VARCHAR(64),
    status                     VARCHAR(16)   NOT NULL,
    status_rank                SMALLINT      NOT NULL,
    answered_by                VARCHAR(32),
    outcome                    VARCHAR(32),
    outcome_reason             VARCHAR(500),
    lead_variables             JSONB,
    idempotency_key            VARCHAR(255),
    created_at                 TIMESTAMPTZ   NOT NULL,
    updated_at                 TIMESTAMPTZ   NOT NULL,
    started_at                 TIMESTAMPTZ,
    answered_at                TIMESTAMPTZ,
    ended_at                   TIMESTAMPTZ,
    duration_seconds           INTEGER,
    recording_sid              VARCHAR(64),
    recording_url              VARCHAR(1000),
    recording_duration_seconds INTEGER,
    extracted_data             JSONB,
    segment_count              INTEGER       NOT NULL,
    tool_invocation_count      INTEGER       NOT NULL,
    turn_count                 INTEGER       NOT NULL,
    created_by_id              UUID,
    created_by_email           VARCHAR(320),
    CONSTRAINT call_record_sid_unique UNIQUE (twilio_call_sid),
    CONSTRAINT call_record_idempotency_unique UNIQUE (organisation_id, idempotency_key)
);

CREATE INDEX call_record_history ON call_record (organisation_id, created_at);
CREATE INDEX call_record_agent ON call_record (organisation_id, agent_id, created_at);
CREATE INDEX call_record_unfinished ON call_record (status_rank, created_at);

CREATE TABLE transcript_segment (
    call_id         UUID         NOT NULL REFERENCES call_record (id),
    seq             INTEGER      NOT NULL,
    organisation_id UUID         NOT NULL REFERENCES organisation (id),
    role            VARCHAR(8)   NOT NULL,
    text            TEXT         NOT NULL,
    start_ms        BIGINT,
    end_ms          BIGINT,
    interrupted     BOOLEAN      NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (call_id, seq)
);

CREATE TABLE call_tool_invocation (
    id              UUID          PRIMARY KEY,
    call_id         UUID          NOT NULL REFERENCES call_record (id),
    seq             INTEGER       NOT NULL,
    organisation_id UUID          NOT NULL REFERENCES organisation (id),
    tool_name       VARCHAR(100)  NOT NULL,
    tool_call_id    VARCHAR(200),
    arguments       JSONB         NOT NULL,
    result          JSONB,
    status          VARCHAR(8)    NOT NULL,
    started_at      TIMESTAMPTZ   NOT NULL,
    duration_ms     BIGINT,
    CONSTRAINT call_tool_invocation_seq_unique UNIQUE (call_id, seq)
);

-- Stage timestamps of one turn; NULL where the turn never reached the stage (e.g. barge-in).
CREATE TABLE call_turn (
    call_id               UUID         NOT NULL REFERENCES call_record (id),
    turn_number           INTEGER      NOT NULL,
    organisation_id       UUID         NOT NULL REFERENCES organisation (id),
    caller_speech_end     TIMESTAMPTZ,
    stt_final             TIMESTAMPTZ,
    llm_request           TIMESTAMPTZ,
    llm_first_token       TIMESTAMPTZ,
    first_speakable_chunk TIMESTAMPTZ,
    first_tts_audio       TIMESTAMPTZ,
    first_frame_sent      TIMESTAMPTZ,
    interrupted           BOOLEAN      NOT NULL,
    PRIMARY KEY (call_id, turn_number)
);
