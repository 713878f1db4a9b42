-- Every business table references an organisation so that tenants can come later.
CREATE TABLE organisation (
    id         UUID PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);

INSERT INTO organisation (id, name) VALUES ('00000000-0000-0000-0000-000000000001', 'Default');
