-- knockmap forget: the negative sums of source $1's failed rows per UTC
-- day and key of the rollup whose key is {expr}, as rollup_batch for
-- sql/ingest/rollup_merge.sql, which takes them away before the rows go.
CREATE OR REPLACE TEMPORARY TABLE rollup_batch AS
SELECT utc_day(ts) AS day, {expr} AS key, -CAST(sum(repeat) AS BIGINT) AS attempts
FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND source_id = $1
GROUP BY ALL
