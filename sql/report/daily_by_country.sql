-- Attempts per UTC day and country (no country: ''); utc_day is in
-- sql/0005_utc_macros.sql.
SELECT utc_day(ts) AS day,
       coalesce(country_code, '') AS code,
       CAST(sum(attempts) AS BIGINT) AS n
FROM attempts
GROUP BY ALL
ORDER BY day, code
