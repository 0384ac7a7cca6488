-- The addresses with failed attempts from $from to $now (the wall clock,
-- not the newest row), with how many there are in all
-- (pipeline/activity): the $top with the most attempts in that time
-- first, with their first attempt ever. Grouped by ip_id, the address's
-- string joined for the active ones only.
WITH failed AS (
    SELECT ip_id, ts, repeat
    FROM event_rows
    WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND ip_id <> 0
), recent AS (
    SELECT ip_id, CAST(sum(repeat) AS BIGINT) AS attempts, max(ts) AS last_ts
    FROM failed
    WHERE ts >= $from AND ts <= $now
    GROUP BY ip_id
), first AS (
    SELECT ip_id, min(ts) AS first_ts
    FROM failed
    WHERE ip_id IN (SELECT ip_id FROM recent)
    GROUP BY ip_id
)
SELECT d.value AS ip, r.attempts, f.first_ts, r.last_ts, (SELECT count(*) FROM recent) AS total
FROM recent AS r
JOIN dict AS d ON d.id = r.ip_id
JOIN first AS f ON f.ip_id = r.ip_id
ORDER BY r.attempts DESC, ip
LIMIT $top
