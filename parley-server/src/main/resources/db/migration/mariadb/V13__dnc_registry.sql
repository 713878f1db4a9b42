-- Registry lists (issue 16): copies of the national and state do-not-call registries, the third
-- layer of the compliance gate (docs/compliance.md#registry-lists).
--
-- dnc_registry is one list an organisation keeps (e.g. "US national", "TX"). Its numbers are kept
-- per area code: dnc_registry_area says, for each area code the list covers, which import (copy)
-- is in force there and how old that copy is. An import writes its numbers under a new copy id
-- while the previous copy stays in force, then switches the area rows in one short transaction,
-- so the gate never sees a half-imported list; the rows of the copy it replaced are deleted in
-- batches afterwards. The numbers are stored as area code + 7-digit local number, integers, to
-- keep a table of tens of millions of rows small.
CREATE TABLE dnc_registry (
    id               CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    organisation_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    name             VARCHAR(60)  NOT NULL,
    kind             VARCHAR(10) CHARACTER SET ascii NOT NULL, -- national | state
    created_at       DATETIME(6)  NOT NULL,
    CONSTRAINT dnc_registry_kind CHECK (kind IN ('national', 'state')),
    CONSTRAINT dnc_registry_name UNIQUE (organisation_id, name),
    CONSTRAINT dnc_registry_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One import of a registry file. status: loading (rows being written; updated_at is its
-- heartbeat), active (in force for some area codes), superseded (replaced everywhere, rows
-- deleted), failed (refused or broken part-way, rows being deleted), discarded (failed, rows
-- deleted). No foreign key to
-- dnc_registry: a deleted list's copies stay until their rows are purged, and as its history.
CREATE TABLE dnc_registry_copy (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    registry_id       CHAR(36) CHARACTER SET ascii NOT NULL,
    organisation_id   CHAR(36) CHARACTER SET ascii NOT NULL,
    coverage          VARCHAR(4000) CHARACTER SET ascii NOT NULL, -- area codes as ranges: 201-299,305
    as_of             DATE         NOT NULL,     -- the day it was downloaded from the registry
    status            VARCHAR(12) CHARACTER SET ascii NOT NULL,
    numbers           BIGINT       NOT NULL,
    started_at        DATETIME(6)  NOT NULL,
    updated_at        DATETIME(6)  NOT NULL,
    imported_by_id    CHAR(36) CHARACTER SET ascii,
    imported_by_email VARCHAR(320),
    CONSTRAINT dnc_registry_copy_status CHECK (status IN ('loading', 'active', 'superseded', 'failed', 'discarded'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX dnc_registry_copy_registry ON dnc_registry_copy (registry_id, status);
CREATE INDEX dnc_registry_copy_status ON dnc_registry_copy (status);

-- The copy in force for each area code a list covers.
CREATE TABLE dnc_registry_area (
    registry_id  CHAR(36) CHARACTER SET ascii NOT NULL,
    area_code    SMALLINT     NOT NULL,
    copy_id      BIGINT       NOT NULL,
    as_of        DATE         NOT NULL,
    numbers      BIGINT       NOT NULL,
    PRIMARY KEY (registry_id, area_code),
    CONSTRAINT dnc_registry_area_registry FOREIGN KEY (registry_id) REFERENCES dnc_registry (id)
        ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX dnc_registry_area_code ON dnc_registry_area (area_code);
CREATE INDEX dnc_registry_area_copy ON dnc_registry_area (copy_id);

-- The numbers of every copy: +1 area_code local_number.
CREATE TABLE dnc_registry_number (
    copy_id       BIGINT    NOT NULL,
    area_code     SMALLINT  NOT NULL,
    local_number  INT       NOT NULL,
    PRIMARY KEY (copy_id, area_code, local_number)
) ENGINE = InnoDB;
