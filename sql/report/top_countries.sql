-- The countries most attempts come from.
SELECT country_code AS code, any_value(country) AS label, CAST(sum(attempts) AS BIGINT) AS n
FROM addresses
WHERE country_code IS NOT NULL
GROUP BY country_code
ORDER BY n DESC, code
LIMIT 20
