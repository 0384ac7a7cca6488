-- The slow brute forces (slow_addresses) active in the period.
SELECT s.ip AS address, g.country_code AS country, s.attempts, s.days,
       s.per_hour AS "per hour", round(s.median_gap_s / 60) AS "median gap (min)",
       s.first_seen AS "first seen", s.last_seen AS "last seen"
FROM slow_addresses AS s
LEFT JOIN ip_geo AS g ON g.ip = s.ip
WHERE s.last_seen >= CAST($1 AS TIMESTAMPTZ) AND s.first_seen < CAST($2 AS TIMESTAMPTZ)
ORDER BY s.attempts DESC, s.ip
LIMIT 20
