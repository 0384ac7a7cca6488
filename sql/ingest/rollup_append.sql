-- Appends an ingest's sums (the Arrow record rollup_arrow: day, key,
-- attempts, one row a day and key) to the rollup {rollup}, which holds
-- none of their days (sql/ingest/rollup_held.sql).
INSERT INTO {rollup} SELECT day, key, attempts FROM rollup_arrow
