-- Attempts per located place, for the dot maps.
SELECT latitude AS lat, longitude AS lon,
       country_code AS code, coalesce(region, '') AS region, coalesce(city, '') AS city,
       count(*) AS n
FROM attempts
WHERE latitude IS NOT NULL AND longitude IS NOT NULL
GROUP BY ALL
ORDER BY n DESC
