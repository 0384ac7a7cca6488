-- The addresses whose first failed attempt is after $since (the previous
-- run), with how many there are in all (pipeline/activity): the $top with
-- the most attempts first.
WITH per AS (
    SELECT ip, CAST(sum(attempts) AS BIGINT) AS attempts, min(ts) AS first_ts, max(ts) AS last_ts
    FROM failed_login_lines
    WHERE ip IS NOT NULL
    GROUP BY ip
), new AS (
    SELECT * FROM per WHERE first_ts > $since
)
SELECT ip, attempts, first_ts, last_ts, (SELECT count(*) FROM new) AS total
FROM new
ORDER BY attempts DESC, ip
LIMIT $top
