-- knockmap schema 5: the UTC day and hour of a time stamp, without ICU.
--
-- ts AT TIME ZONE 'UTC' takes each row through ICU's calendar, which is
-- slow over millions of rows (the report's days: 0.65 s that way, 0.42 s
-- this way, with the same rows). Every stamp is stored as microseconds
-- since 1970 UTC, so the day and the hour are whole divisions of it,
-- floored so that stamps before 1970 fall on the right day too. The report
-- and the export use these, and so can anyone's SQL:
--   SELECT utc_day(ts), count(*) FROM failed_logins GROUP BY ALL;

CREATE MACRO utc_day(ts) AS
    DATE '1970-01-01' + CAST(floor(epoch_us(ts) / 86400e6) AS INTEGER);

CREATE MACRO utc_hour(ts) AS
    CAST(floor(epoch_us(ts) / 3600e6) - floor(epoch_us(ts) / 86400e6) * 24 AS INTEGER);
