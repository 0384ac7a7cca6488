-- How many lines of failed logins the report's period ($1 inclusive to $2
-- exclusive) holds: the rows sql/report/attempts.sql gives, counted from
-- the events alone, so that the report knows whether to copy them into a
-- temporary table first (see pipeline/report's MaterializeMax).
SELECT count(*)
FROM event_rows AS e
WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'failed')
  AND e.ts >= CAST($1 AS TIMESTAMPTZ) AND e.ts < CAST($2 AS TIMESTAMPTZ)
