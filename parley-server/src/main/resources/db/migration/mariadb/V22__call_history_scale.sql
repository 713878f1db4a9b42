-- Call history at scale (issue 17), measured with 10,000 calls by CallHistoryScaleTest (figures in
-- docs/calls.md, "History at scale"). The status and answering-machine filters had no index: a rare
-- value (in_progress, failed, fax, machine_end_beep) made the first page read the whole history to
-- find its 20 calls, and the total read every call. Each index leads with the organisation and ends
-- with the creation time (InnoDB appends the id), like those of V5 and V17: the newest first page
-- is read in order.
--
-- The transcript search (LOWER(text) LIKE '%…%') has no index on MariaDB: a B-tree cannot serve a
-- substring, and a FULLTEXT index matches whole words (no "100%", no part of a word, stop words
-- left out), which would find other calls than PostgreSQL does. It reads the segments.
CREATE INDEX call_record_status ON call_record (organisation_id, status, created_at);
CREATE INDEX call_record_answered_by ON call_record (organisation_id, answered_by, created_at);
