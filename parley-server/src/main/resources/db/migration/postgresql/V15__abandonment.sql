-- Abandonment (issue 16): what proves a campaign's drop rate.
--
-- first_agent_audio_ms: when the callee first heard the agent, in milliseconds after the media
-- stream started (the moment the answered call reached Parley); null while the agent has not
-- spoken. abandoned: the call counts as a drop (a live answer that heard no agent within 2 s, or
-- that Parley ended before speaking). safe_harbour_message: the campaign's message for a drop, as
-- it stood when the attempt was placed, so the call does not read the campaign again.
ALTER TABLE call_record ADD COLUMN first_agent_audio_ms INT;
ALTER TABLE call_record ADD COLUMN abandoned BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE call_record ADD COLUMN safe_harbour_message VARCHAR(500);

-- A campaign's safe-harbour message as an uploaded recording (raw μ-law 8 kHz mono, at most 60 s):
-- played to a drop instead of the message spoken in the agent's voice.
CREATE TABLE campaign_safe_harbour_audio (
    campaign_id       UUID          PRIMARY KEY REFERENCES campaign (id),
    audio             BYTEA         NOT NULL,
    file_name         VARCHAR(200),
    uploaded_at       TIMESTAMPTZ   NOT NULL,
    uploaded_by_id    UUID,
    uploaded_by_email VARCHAR(320)
);
