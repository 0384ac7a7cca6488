-- Attempts per located place, for the dot maps. The order is total, so
-- that the translucent dots are drawn in the same order, and the same data
-- gives the same picture, byte for byte.
SELECT latitude AS lat, longitude AS lon,
       country_code AS code, coalesce(region, '') AS region, coalesce(city, '') AS city,
       CAST(sum(attempts) AS BIGINT) AS n
FROM addresses
WHERE latitude IS NOT NULL AND longitude IS NOT NULL
GROUP BY ALL
ORDER BY n DESC, lat, lon, code, region, city
