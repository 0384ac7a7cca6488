-- Attempts per UTC day and country (no country: '').
SELECT CAST(date_trunc('day', ts AT TIME ZONE 'UTC') AS DATE) AS day,
       coalesce(country_code, '') AS code,
       count(*) AS n
FROM attempts
GROUP BY ALL
ORDER BY day, code
