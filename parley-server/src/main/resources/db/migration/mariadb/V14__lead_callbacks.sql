-- Scheduled callbacks (issue 16): a lead the callee (the schedule_callback tool) or an operator
-- (POST /api/campaigns/{id}/leads/{leadId}/callback) asked to be called back at a time.
--
-- A lead waiting for its callback is in the new status 'callback', due at next_attempt_at (the
-- dispatcher claims it like a due retry, before retries). callback_at is the instant asked for
-- (callback_local the local date-time as asked, in callback_zone: the lead's time_zone, else its
-- number's first zone); callback_due_at is when it is to be dialled: the time asked for, moved to
-- the next time the calling rules allow when it was outside them (kept apart, so the time asked
-- for stays visible). callback_state: scheduled (waiting, or booked during the call in progress),
-- dialing (claimed for its dial), placed (dialled once: callback_call_id is the call), cancelled
-- (callback_note says why). callback_prior_status / callback_prior_next_at are where the lead was
-- (or would have gone) when the callback was booked: cancelling it returns the lead there.
ALTER TABLE campaign_lead DROP CONSTRAINT campaign_lead_status;
ALTER TABLE campaign_lead ADD CONSTRAINT campaign_lead_status CHECK
    (status IN ('pending', 'dialing', 'retry_at', 'callback', 'done', 'held', 'dnc', 'exhausted'));

ALTER TABLE campaign_lead
    ADD COLUMN callback_state VARCHAR(16) CHARACTER SET ascii,
    ADD COLUMN callback_at DATETIME(6),
    ADD COLUMN callback_local VARCHAR(19) CHARACTER SET ascii,
    ADD COLUMN callback_zone VARCHAR(64) CHARACTER SET ascii,
    ADD COLUMN callback_due_at DATETIME(6),
    ADD COLUMN callback_summary VARCHAR(2000),
    ADD COLUMN callback_source VARCHAR(8) CHARACTER SET ascii,
    ADD COLUMN callback_requested_by VARCHAR(254),
    ADD COLUMN callback_requested_call_id CHAR(36) CHARACTER SET ascii,
    ADD COLUMN callback_requested_at DATETIME(6),
    ADD COLUMN callback_call_id CHAR(36) CHARACTER SET ascii,
    ADD COLUMN callback_note VARCHAR(500),
    ADD COLUMN callback_prior_status VARCHAR(16) CHARACTER SET ascii,
    ADD COLUMN callback_prior_next_at DATETIME(6);
ALTER TABLE campaign_lead ADD CONSTRAINT campaign_lead_callback_state CHECK
    (callback_state IS NULL OR callback_state IN ('scheduled', 'dialing', 'placed', 'cancelled'));
ALTER TABLE campaign_lead ADD CONSTRAINT campaign_lead_callback_source CHECK
    (callback_source IS NULL OR callback_source IN ('tool', 'user'));
