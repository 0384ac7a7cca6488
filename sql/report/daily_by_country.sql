-- Attempts per bucket ($5 seconds: a day, or a week over long periods)
-- and country (no country: ''), each address put where ip_geo locates it
-- now (place_sums); each bucket named by its first UTC day.
SELECT DATE '1970-01-01' + CAST(b * CAST($5 AS BIGINT) // 86400 AS INTEGER) AS day,
       code,
       CAST(sum(n) AS BIGINT) AS n
FROM place_sums
GROUP BY ALL
ORDER BY day, code
