-- Attempts by weekday (1 Monday … 7 Sunday) and hour, in UTC.
SELECT isodow(ts AT TIME ZONE 'UTC') AS weekday,
       hour(ts AT TIME ZONE 'UTC')   AS hour,
       count(*) AS n
FROM attempts
GROUP BY ALL
ORDER BY weekday, hour
