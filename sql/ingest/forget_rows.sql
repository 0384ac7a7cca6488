-- knockmap forget: the rows of source $1, which is then read again from
-- its start by the next ingest (with --year or --tz, say).
DELETE FROM event_rows WHERE source_id = $1
