-- The addresses with failed attempts from $from to $now (the wall clock,
-- not the newest row), with how many there are in all
-- (pipeline/activity): the $top with the most attempts in that time
-- first, with their first attempt ever. Grouped by ip_id, the address's
-- string joined for the active ones only, and the first attempts read for
-- the $top alone: a relation of the failed rows named twice (once for the
-- recent ones, once for their first attempts) is one DuckDB holds, all
-- 3.0M of them over a 1 GB log, where each scan here reads its own.
WITH recent AS (
    SELECT ip_id, CAST(sum(repeat) AS BIGINT) AS attempts, max(ts) AS last_ts
    FROM event_rows
    WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND ip_id <> 0
      AND ts >= $from AND ts <= $now
    GROUP BY ip_id
), top AS (
    SELECT r.ip_id, d.value AS ip, r.attempts, r.last_ts
    FROM recent AS r
    JOIN dict AS d ON d.id = r.ip_id
    ORDER BY r.attempts DESC, ip
    LIMIT $top
), first AS (
    SELECT ip_id, min(ts) AS first_ts
    FROM event_rows
    WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed')
      AND ip_id IN (SELECT ip_id FROM top)
    GROUP BY ip_id
)
SELECT t.ip, t.attempts, f.first_ts, t.last_ts, (SELECT count(*) FROM recent) AS total
FROM top AS t
JOIN first AS f ON f.ip_id = t.ip_id
ORDER BY t.attempts DESC, t.ip
