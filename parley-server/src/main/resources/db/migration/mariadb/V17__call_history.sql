-- Call history filters (issue 17). The list is always one organisation's, newest first by
-- default, so each index leads with the organisation and ends with the creation time: a filter on
-- the caller's number or on the outcome reads only its own calls, already in order. (The agent,
-- campaign and called-number filters use the indexes of V5 and V12.) The transcript search is a
-- substring match, which no portable index serves; it reads the segments of the calls the other
-- filters leave.
CREATE INDEX call_record_from_number ON call_record (organisation_id, from_number, created_at);
CREATE INDEX call_record_outcome ON call_record (organisation_id, outcome, created_at);
