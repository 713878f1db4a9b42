-- Durable jobs any node may run (issue 14): scheduled callbacks, retries, analysis, webhook
-- deliveries, retention.
--
-- A job is due when run_at has passed and nobody holds a live lease on it. A node claims due jobs
-- with SELECT ... FOR UPDATE SKIP LOCKED and, in the same transaction, writes its id into leased_by
-- and lease_until (and counts the attempt), so two nodes never claim one job. A job whose lease
-- expired (its node crashed mid-job) is due again: delivery is at least once. A job that succeeds
-- is deleted; one that fails is rescheduled with backoff, and after its last attempt kept with
-- status 'failed' for operators. dedupe_key, when given, makes scheduling idempotent while the
-- job exists. No organisation_id: jobs belong to the cluster; a payload names its organisation.
CREATE TABLE job (
    id           UUID          PRIMARY KEY,
    kind         VARCHAR(100)  NOT NULL,
    payload      JSONB         NOT NULL,
    dedupe_key   VARCHAR(200),
    status       VARCHAR(16)   NOT NULL,  -- 'pending' (waiting or running) or 'failed'
    run_at       TIMESTAMPTZ   NOT NULL,
    attempts     INT           NOT NULL DEFAULT 0,
    leased_by    VARCHAR(64),             -- the node running it now (or that ran it last)
    lease_until  TIMESTAMPTZ,
    last_error   VARCHAR(2000),
    created_at   TIMESTAMPTZ   NOT NULL,
    updated_at   TIMESTAMPTZ   NOT NULL
);

CREATE UNIQUE INDEX job_dedupe_key ON job (dedupe_key);
CREATE INDEX job_due ON job (status, run_at);
