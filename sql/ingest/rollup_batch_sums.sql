-- The sums for the rollups (sql/0017_rollups.sql) of the rows that one
-- batch loaded with sql/ingest/insert_events.sql, which drops the rows
-- another source loaded already, so that only the database knows which
-- were kept: the failed rows of source $1 from line $2 to $3 with time
-- stamps from $4 to $5. A source is read once, from where it was left, so
-- those lines are the batch's own. Per UTC day (days since 1970) and hour,
-- address and username, for pipeline/load to add up by each.
SELECT CAST(floor(epoch_us(ts) / 86400e6) AS INTEGER) AS day,
       utc_hour(ts) AS hour, ip_id, user_id,
       CAST(sum(repeat) AS BIGINT) AS attempts
FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed')
  AND source_id = $1 AND line BETWEEN $2 AND $3
  AND ts BETWEEN CAST($4 AS TIMESTAMPTZ) AND CAST($5 AS TIMESTAMPTZ)
GROUP BY ALL
