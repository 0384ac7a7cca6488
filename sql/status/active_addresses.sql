-- The addresses with failed attempts from $from to $now (the wall clock,
-- not the newest row), with how many there are in all
-- (pipeline/activity): the $top with the most attempts in that time
-- first, with their first attempt ever.
WITH recent AS (
    SELECT ip, CAST(sum(attempts) AS BIGINT) AS attempts, max(ts) AS last_ts
    FROM failed_login_lines
    WHERE ip IS NOT NULL AND ts >= $from AND ts <= $now
    GROUP BY ip
)
SELECT r.ip, r.attempts,
       (SELECT min(f.ts) FROM failed_login_lines AS f WHERE f.ip = r.ip) AS first_ts,
       r.last_ts, (SELECT count(*) FROM recent) AS total
FROM recent AS r
ORDER BY r.attempts DESC, r.ip
LIMIT $top
