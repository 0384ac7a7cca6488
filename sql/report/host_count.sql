-- How many hosts the period's failed logins name (no host is one of
-- them): a report of one host takes that host's row of the page's list
-- from the totals, which are the same numbers, instead of reading every
-- row for sql/report/hosts.sql.
SELECT count(DISTINCT host_id) AS hosts
FROM event_rows
WHERE kind_id = getvariable('knockmap_failed')
  AND ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
