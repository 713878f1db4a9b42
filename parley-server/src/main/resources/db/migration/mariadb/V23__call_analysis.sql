-- Post-call analysis (issue 19): what the agent's model made of a finished call's transcript.
--
-- One row per analysed call, written once by the call.analysis job and never by the call itself:
-- the call's outcome stays in call_record. status: done (summary, sentiment, category and fields
-- valid) or error (error says why: the model failed, or answered invalidly twice). fields: the
-- answer to the agent's JSON Schema. model / prompt_tokens / completion_tokens / attempts: what it
-- cost, both requests together when the first answer was invalid.
CREATE TABLE call_analysis (
    call_id           CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id   CHAR(36) CHARACTER SET ascii NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    summary           TEXT,
    category          VARCHAR(100),
    sentiment         VARCHAR(16),
    fields            JSON,
    error             VARCHAR(1000),
    provider          VARCHAR(64)   NOT NULL,
    model             VARCHAR(200)  NOT NULL,
    prompt_tokens     BIGINT        NOT NULL,
    completion_tokens BIGINT        NOT NULL,
    attempts          INTEGER       NOT NULL,
    created_at        DATETIME(6)   NOT NULL,
    CONSTRAINT call_analysis_call_fk FOREIGN KEY (call_id) REFERENCES call_record (id),
    CONSTRAINT call_analysis_organisation_fk FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
