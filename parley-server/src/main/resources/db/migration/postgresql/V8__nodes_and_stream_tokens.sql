-- Several Parley nodes on one database (issue 14).
--
-- node: one row per node id (PARLEY_NODE_ID), rewritten by the node every few seconds. A node
-- whose heartbeat_at is older than PARLEY_NODE_DEAD_AFTER is dead; stopped_at is set when it shut
-- down cleanly. run_id changes with every start of the process, so the previous run of a node is
-- told from the current one. No organisation_id: nodes serve every organisation.
CREATE TABLE node (
    id           VARCHAR(64)   PRIMARY KEY,
    run_id       UUID          NOT NULL,
    host         VARCHAR(255)  NOT NULL,
    pid          BIGINT        NOT NULL,
    version      VARCHAR(64),
    started_at   TIMESTAMPTZ   NOT NULL,
    heartbeat_at TIMESTAMPTZ   NOT NULL,
    stopped_at   TIMESTAMPTZ
);

-- The node that holds the call: the one that created or answered it, then the one its media stream
-- reached. NULL for calls recorded before nodes existed. No foreign key: history outlives nodes.
ALTER TABLE call_record ADD COLUMN node_id VARCHAR(64);
CREATE INDEX call_record_node ON call_record (node_id, status_rank);

-- Single-use media stream tokens, so a call's media socket may reach any node. Only the SHA-256 of
-- a token is kept (hex): a copy of the table admits nobody. Redeeming sets used_at once (an UPDATE
-- guarded by used_at IS NULL); rows are purged after they expire. No foreign key to call_record:
-- the rows live five minutes and are never joined.
CREATE TABLE media_stream_token (
    token_hash   CHAR(64)      PRIMARY KEY,
    call_id      UUID          NOT NULL,
    call_sid     VARCHAR(64)   NOT NULL,
    base_url     VARCHAR(1000) NOT NULL,  -- the public base URL the voice webhook was reached at
    issued_by    VARCHAR(64)   NOT NULL,  -- node ids, for tracing a stream that changed node
    redeemed_by  VARCHAR(64),
    issued_at    TIMESTAMPTZ   NOT NULL,
    expires_at   TIMESTAMPTZ   NOT NULL,
    used_at      TIMESTAMPTZ
);

CREATE INDEX media_stream_token_expiry ON media_stream_token (expires_at);
