-- knockmap schema 6: 32-bit line keys.
--
-- event_rows.key tells a line loaded from one source from the same line in
-- another (an overlapping file). It was a 64-bit hash; it is now its low
-- 32 bits, and a line counts as loaded already only when a row of another
-- source has the same time stamp as well as the same key
-- (ingest/insert_events.sql). The key column was a third of the file, and
-- is now half that. Keys already stored keep their low 32 bits, which is
-- what this knockmap computes for the same lines.

ALTER TABLE event_rows ALTER COLUMN key SET DATA TYPE UINTEGER USING CAST(key & 4294967295 AS UINTEGER);
