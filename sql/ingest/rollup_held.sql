-- Whether the rollup {rollup} (sql/0017_rollups.sql) holds a day from $1
-- on: if not, an ingest's sums (all of later days) are appended as they
-- are (sql/ingest/rollup_append.sql), with nothing to add them to.
SELECT EXISTS (SELECT 1 FROM {rollup} WHERE day >= CAST($1 AS DATE))
