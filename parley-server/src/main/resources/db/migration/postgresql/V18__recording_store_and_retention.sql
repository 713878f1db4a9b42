-- Recordings kept by Parley, and retention (issue 17).
--
-- recording_stored_at: when Parley's own encrypted copy of the recording was written under
-- PARLEY_DATA_DIR (PARLEY_RECORDING_STORE=local); null without one. recording_deleted_at: when the
-- recording was removed (by an ADMIN or by retention), Twilio's copy and Parley's; the recording
-- columns are cleared then, and a late duplicate callback cannot bring them back.
-- transcript_purged_at / extracted_data_purged_at: when retention removed the transcript
-- segments, or the extracted data (answers, tool arguments and results, lead variables).
-- legal_hold: the call is exempt from every purge while set; legal_hold_reason says why.
ALTER TABLE call_record ADD COLUMN recording_stored_at TIMESTAMPTZ;
ALTER TABLE call_record ADD COLUMN recording_deleted_at TIMESTAMPTZ;
ALTER TABLE call_record ADD COLUMN transcript_purged_at TIMESTAMPTZ;
ALTER TABLE call_record ADD COLUMN extracted_data_purged_at TIMESTAMPTZ;
ALTER TABLE call_record ADD COLUMN legal_hold BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE call_record ADD COLUMN legal_hold_reason VARCHAR(500);

-- Retention walks calls by age across organisations.
CREATE INDEX call_record_age ON call_record (created_at);
