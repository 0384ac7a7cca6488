-- Attempts by weekday (1 Monday … 7 Sunday) and hour, in UTC; utc_day and
-- utc_hour are in sql/0005_utc_macros.sql.
SELECT isodow(utc_day(ts)) AS weekday,
       utc_hour(ts)         AS hour,
       CAST(sum(attempts) AS BIGINT) AS n
FROM attempts
GROUP BY ALL
ORDER BY weekday, hour
