-- Voicemail drop as a recording (issue 19): a campaign's uploaded voicemail message, played after a
-- machine's beep instead of the text spoken in the agent's voice. Kept like the safe-harbour
-- recording (V15): raw μ-law 8 kHz mono, one per campaign.
CREATE TABLE campaign_voicemail_audio (
    campaign_id       UUID          PRIMARY KEY REFERENCES campaign (id),
    audio             BYTEA         NOT NULL,
    file_name         VARCHAR(200),
    uploaded_at       TIMESTAMPTZ   NOT NULL,
    uploaded_by_id    UUID,
    uploaded_by_email VARCHAR(320)
);

-- The choice made when the call was placed, like voicemail_message (V24): set when the call leaves
-- its campaign's recording (the name its transcript shows); voicemail_message then holds the text
-- spoken only if the recording was removed before the machine's beep.
ALTER TABLE call_record ADD COLUMN voicemail_recording VARCHAR(200);
