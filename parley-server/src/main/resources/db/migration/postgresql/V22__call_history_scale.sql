-- Call history at scale (issue 17), measured with 10,000 calls by CallHistoryScaleTest (figures in
-- docs/calls.md, "History at scale"). The status and answering-machine filters had no index: a rare
-- value (in_progress, failed, fax, machine_end_beep) made the first page read the whole history to
-- find its 20 calls, and the total read every call. Each index leads with the organisation and ends
-- with the creation time, like those of V5 and V17, so the newest first page is read in order.
CREATE INDEX call_record_status ON call_record (organisation_id, status, created_at);
CREATE INDEX call_record_answered_by ON call_record (organisation_id, answered_by, created_at);

-- The transcript search (LOWER(text) LIKE '%…%', at least 3 characters) through trigrams: without
-- this it reads every segment. pg_trgm ships with PostgreSQL (contrib), is a trusted extension and
-- is offered by the managed services; a database user that may not install or use it (no CREATE on
-- the database, no USAGE on the schema it was installed in) or a server without it still migrates,
-- with a notice, and searches without the index: the same calls are found either way. The operator
-- class is named with the schema the extension lives in, which need not be on the search path.
-- Segments are written by each call's record writer, off the audio path, so the index's upkeep on
-- insert does not delay a call.
DO $$
DECLARE
  trgm_schema name;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    BEGIN
      CREATE EXTENSION pg_trgm;
    EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
      RAISE NOTICE 'pg_trgm could not be installed (%): the transcript search reads every segment',
        SQLERRM;
    END;
  END IF;
  SELECT n.nspname INTO trgm_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
  IF trgm_schema IS NOT NULL THEN
    BEGIN
      EXECUTE format(
        'CREATE INDEX transcript_segment_text_trgm ON transcript_segment'
          || ' USING gin (lower(text) %I.gin_trgm_ops)',
        trgm_schema);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'pg_trgm is not usable here (%): the transcript search reads every segment',
        SQLERRM;
    END;
  END IF;
END
$$;
