-- The addresses that opened the most connections, with how those came
-- out and the failed authentications they made.
-- param: limit = 20
-- (counted by the address's id in connection_stats; the text joined to
-- the kept ones)
WITH top AS (
    SELECT ip_id, count(*) AS connections,
           count(*) FILTER (WHERE outcome = 'accepted') AS accepted,
           count(*) FILTER (WHERE outcome = 'failed')   AS failed,
           count(*) FILTER (WHERE outcome = 'refused')  AS refused,
           count(*) FILTER (WHERE outcome = 'probe')    AS probes,
           sum(attempts) AS attempts, min(first_ts) AS first_seen, max(last_ts) AS last_seen
    FROM connection_stats
    GROUP BY ip_id
)
SELECT a.value AS ip, t.connections, t.accepted, t.failed, t.refused, t.probes, t.attempts, t.first_seen, t.last_seen
FROM top AS t
LEFT JOIN dict AS a ON a.id = t.ip_id
ORDER BY t.connections DESC, ip
LIMIT CAST($limit AS INTEGER);
