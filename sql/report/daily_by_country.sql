-- Attempts per UTC day and country (no country: ''), each address put
-- where ip_geo locates it now.
SELECT day,
       coalesce(country_code, '') AS code,
       CAST(sum(attempts) AS BIGINT) AS n
FROM address_days
GROUP BY ALL
ORDER BY day, code
