-- Attempts by weekday (1 Monday … 7 Sunday) and hour, in UTC, worked out
-- from the microseconds since 1970 (1 January 1970 was a Thursday) rather
-- than through ICU's calendar for each row.
SELECT CAST(((floor(epoch_us(ts) / 86400e6) + 3) % 7 + 7) % 7 + 1 AS INTEGER) AS weekday,
       CAST((floor(epoch_us(ts) / 3600e6) % 24 + 24) % 24 AS INTEGER)         AS hour,
       count(*) AS n
FROM attempts
GROUP BY ALL
ORDER BY weekday, hour
