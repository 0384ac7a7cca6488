-- Attempts by weekday (1 Monday … 7 Sunday) and hour, in UTC.
SELECT isodow(day) AS weekday,
       hour,
       CAST(sum(attempts) AS BIGINT) AS n
FROM hours
GROUP BY ALL
ORDER BY weekday, hour
