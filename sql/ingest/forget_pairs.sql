-- The negative sums per (address, username) of the failed rows of the
-- source $1 that `knockmap forget` drops, for sql/ingest/pair_merge.sql
-- to take away from rollup_address_users.
CREATE OR REPLACE TEMPORARY TABLE pair_batch AS
SELECT ip_id, user_id, -CAST(sum(repeat) AS BIGINT) AS attempts
FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND source_id = $1
GROUP BY ALL
