-- Durable jobs any node may run (issue 14): scheduled callbacks, retries, analysis, webhook
-- deliveries, retention.
--
-- A job is due when run_at has passed and nobody holds a live lease on it. A node claims due jobs
-- with SELECT ... FOR UPDATE SKIP LOCKED (MariaDB 10.6+) and, in the same transaction, writes its
-- id into leased_by and lease_until (and counts the attempt), so two nodes never claim one job. A
-- job whose lease expired (its node crashed mid-job) is due again: delivery is at least once. A job
-- that succeeds is deleted; one that fails is rescheduled with backoff, and after its last attempt
-- kept with status 'failed' for operators. dedupe_key, when given, makes scheduling idempotent
-- while the job exists. No organisation_id: jobs belong to the cluster; a payload names its
-- organisation.
CREATE TABLE job (
    id           CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    kind         VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    payload      JSON          NOT NULL,
    dedupe_key   VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    status       VARCHAR(16) CHARACTER SET ascii NOT NULL,  -- 'pending' (waiting or running) or 'failed'
    run_at       DATETIME(6)   NOT NULL,
    attempts     INT           NOT NULL DEFAULT 0,
    leased_by    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin,  -- the node running it now (or that ran it last)
    lease_until  DATETIME(6),
    last_error   VARCHAR(2000),
    created_at   DATETIME(6)   NOT NULL,
    updated_at   DATETIME(6)   NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE UNIQUE INDEX job_dedupe_key ON job (dedupe_key);
CREATE INDEX job_due ON job (status, run_at);
