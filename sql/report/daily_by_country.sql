-- Attempts per UTC day and country (no country: ''). The day comes from
-- the microseconds since 1970, not from AT TIME ZONE 'UTC', which takes
-- each row through ICU's calendar: on a million lines this query took
-- 0.65 s that way and takes 0.42 s this way, with the same rows.
SELECT DATE '1970-01-01' + CAST(floor(epoch_us(ts) / 86400e6) AS INTEGER) AS day,
       coalesce(country_code, '') AS code,
       count(*) AS n
FROM attempts
GROUP BY ALL
ORDER BY day, code
