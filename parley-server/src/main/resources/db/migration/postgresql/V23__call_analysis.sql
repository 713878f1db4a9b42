-- Post-call analysis (issue 19): what the agent's model made of a finished call's transcript.
--
-- One row per analysed call, written once by the call.analysis job and never by the call itself:
-- the call's outcome stays in call_record. status: done (summary, sentiment, category and fields
-- valid) or error (error says why: the model failed, or answered invalidly twice). fields: the
-- answer to the agent's JSON Schema. model / prompt_tokens / completion_tokens / attempts: what it
-- cost, both requests together when the first answer was invalid.
CREATE TABLE call_analysis (
    call_id           UUID          NOT NULL PRIMARY KEY REFERENCES call_record (id),
    organisation_id   UUID          NOT NULL REFERENCES organisation (id),
    status            VARCHAR(16)   NOT NULL,
    summary           TEXT,
    category          VARCHAR(100),
    sentiment         VARCHAR(16),
    fields            JSONB,
    error             VARCHAR(1000),
    provider          VARCHAR(64)   NOT NULL,
    model             VARCHAR(200)  NOT NULL,
    prompt_tokens     BIGINT        NOT NULL,
    completion_tokens BIGINT        NOT NULL,
    attempts          INTEGER       NOT NULL,
    created_at        TIMESTAMPTZ   NOT NULL
);
