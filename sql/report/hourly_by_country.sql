-- Attempts per UTC hour and country (no country: ''), for a report whose
-- attempts span less than pipeline/report's hourlyBelow: the start of each
-- hour is a whole division of the stamp, as in sql/0005_utc_macros.sql.
SELECT make_timestamp(CAST(floor(epoch_us(ts) / 3600e6) * 3600e6 AS BIGINT)) AS hour,
       coalesce(country_code, '') AS code,
       CAST(sum(attempts) AS BIGINT) AS n
FROM attempts
GROUP BY ALL
ORDER BY hour, code
