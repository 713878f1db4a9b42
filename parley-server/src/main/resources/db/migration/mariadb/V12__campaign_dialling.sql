-- Campaign dialling (issue 15).
--
-- An attempt of a campaign is an ordinary call record that names its campaign and lead, written
-- before Twilio is asked (as every outbound attempt is), so a crash never loses which lead a
-- ringing call belongs to. The to_number index serves the compliance gate's per-number cap
-- (outbound attempts to one number over a rolling 24 hours, across campaigns and manual calls).
ALTER TABLE call_record ADD COLUMN campaign_id CHAR(36) CHARACTER SET ascii;
ALTER TABLE call_record ADD COLUMN lead_id CHAR(36) CHARACTER SET ascii;
CREATE INDEX call_record_lead ON call_record (lead_id, created_at);
CREATE INDEX call_record_campaign ON call_record (campaign_id, created_at);
CREATE INDEX call_record_to_number ON call_record (organisation_id, to_number, created_at);

-- The dial paces every node shares: one row for the Twilio account (every call Parley places) and
-- one per running campaign. last_at is the last slot handed out; the next one is last_at plus one
-- interval of the rate asked for at the time (so a pacing edit counts at once), and never before
-- hold_until (set after Twilio answers 429). A reservation locks the rows it reads, so two nodes
-- never take the same slot. Rows are created on first use.
CREATE TABLE dial_pace (
    pace_key    VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    last_at     DATETIME(6),
    hold_until  DATETIME(6)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;


-- The dispatcher's questions: due retries of a campaign, and the leads a node holds.
CREATE INDEX campaign_lead_due ON campaign_lead (campaign_id, status, next_attempt_at);

-- The attempt a lead is waiting on: set when its call is placed, cleared when the call's outcome
-- has been applied to the lead (last_call_id keeps pointing at it).
ALTER TABLE campaign_lead ADD COLUMN current_call_id CHAR(36) CHARACTER SET ascii;
