-- The addresses that opened the most connections, with how those came
-- out and the failed authentications they made.
-- param: limit = 20
SELECT ip, count(*) AS connections,
       count(*) FILTER (WHERE outcome = 'accepted') AS accepted,
       count(*) FILTER (WHERE outcome = 'failed')   AS failed,
       count(*) FILTER (WHERE outcome = 'refused')  AS refused,
       count(*) FILTER (WHERE outcome = 'probe')    AS probes,
       sum(attempts) AS attempts, min(first_ts) AS first_seen, max(last_ts) AS last_seen
FROM connections
GROUP BY ip
ORDER BY connections DESC, ip
LIMIT CAST($limit AS INTEGER);
