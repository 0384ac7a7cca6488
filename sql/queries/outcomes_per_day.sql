-- Connections per UTC day by how they came out, over the last days
-- (counted back from the newest connection).
-- param: days = 30
-- (connection_stats: the connections view without its lists)
SELECT utc_day(first_ts) AS day,
       count(*) AS connections,
       count(*) FILTER (WHERE outcome = 'accepted') AS accepted,
       count(*) FILTER (WHERE outcome = 'failed')   AS failed,
       count(*) FILTER (WHERE outcome = 'refused')  AS refused,
       count(*) FILTER (WHERE outcome = 'probe')    AS probes
FROM connection_stats
WHERE first_ts >= (SELECT max(first_ts) FROM connection_stats) - to_days(CAST($days AS INTEGER))
GROUP BY day
ORDER BY day;
