-- Telephony's record of pointing an agent's Twilio number at Parley (voice URL, status callback,
-- fallback URL through IncomingPhoneNumbers), one row per agent: the result of the sync for the
-- newest agent version tried. The agents API shows it as status.numberSync. No foreign key to
-- agent: agents are soft-deleted and telephony removes the row itself when one is.
CREATE TABLE twilio_number_sync (
    agent_id         UUID         PRIMARY KEY,
    organisation_id  UUID         NOT NULL REFERENCES organisation (id),
    agent_version    INTEGER      NOT NULL,      -- the agent version the sync was for
    phone_number     VARCHAR(16)  NOT NULL,      -- E.164
    state            VARCHAR(20)  NOT NULL,      -- synced | failed | not_configured
    detail           VARCHAR(500),               -- why it failed
    attempted_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT twilio_number_sync_state CHECK (state IN ('synced', 'failed', 'not_configured'))
);
