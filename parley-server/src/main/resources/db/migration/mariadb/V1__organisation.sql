-- Every business table references an organisation so that tenants can come later.
-- Type map: UUID -> CHAR(36) (ascii), TIMESTAMPTZ -> DATETIME(6) in UTC, JSONB -> JSON, text utf8mb4.
CREATE TABLE organisation (
    id         CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    created_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO organisation (id, name) VALUES ('00000000-0000-0000-0000-000000000001', 'Default');
