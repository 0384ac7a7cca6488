-- The addresses whose first failed attempt is after $since (the previous
-- run), with how many there are in all (pipeline/activity): the $top with
-- the most attempts first. Only the addresses whose first day in the
-- address rollup (sql/0017_rollups.sql) is $since's or later can be new,
-- so only their rows are summed (the others' rows are skipped in the
-- scan), grouped by ip_id, the address's strings joined for the new ones
-- only.
WITH maybe AS (
    SELECT ip_id
    FROM rollup_address_days
    WHERE ip_id <> 0 AND attempts > 0
    GROUP BY ip_id
    HAVING min(day) >= utc_day($since)
), per AS (
    SELECT ip_id, CAST(sum(repeat) AS BIGINT) AS attempts, min(ts) AS first_ts, max(ts) AS last_ts
    FROM event_rows
    WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND ip_id <> 0
      AND ip_id IN (SELECT ip_id FROM maybe LIMIT 1000000000)
      -- none of their rows is older than their first day, $since's or
      -- later: the row groups before it are left unread
      AND ts >= to_timestamp(epoch(utc_day($since)))
    GROUP BY ip_id
), new AS (
    SELECT d.value AS ip, p.attempts, p.first_ts, p.last_ts
    FROM per AS p
    JOIN dict AS d ON d.id = p.ip_id
    WHERE p.first_ts > $since
)
SELECT ip, attempts, first_ts, last_ts, (SELECT count(*) FROM new) AS total
FROM new
ORDER BY attempts DESC, ip
LIMIT $top
