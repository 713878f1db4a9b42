-- Voicemail drop as a recording (issue 19): a campaign's uploaded voicemail message, played after a
-- machine's beep instead of the text spoken in the agent's voice. Kept like the safe-harbour
-- recording (V15): raw μ-law 8 kHz mono, one per campaign.
CREATE TABLE campaign_voicemail_audio (
    campaign_id       CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    audio             MEDIUMBLOB    NOT NULL,
    file_name         VARCHAR(200),
    uploaded_at       DATETIME(6)   NOT NULL,
    uploaded_by_id    CHAR(36) CHARACTER SET ascii,
    uploaded_by_email VARCHAR(320),
    CONSTRAINT campaign_voicemail_audio_campaign FOREIGN KEY (campaign_id) REFERENCES campaign (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The choice made when the call was placed, like voicemail_message (V24): set when the call leaves
-- its campaign's recording (the name its transcript shows); voicemail_message then holds the text
-- spoken only if the recording was removed before the machine's beep.
ALTER TABLE call_record ADD COLUMN voicemail_recording VARCHAR(200);
