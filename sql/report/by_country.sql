-- Attempts per country, for the world map and the timeline.
SELECT country_code AS code, any_value(country) AS name, CAST(sum(attempts) AS BIGINT) AS n
FROM addresses
WHERE country_code IS NOT NULL
GROUP BY country_code
ORDER BY n DESC, code
