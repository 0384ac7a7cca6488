-- The buckets (as in page_cells.sql) in which each address ('i') and each
-- username ('u') failed to log in, for the page to count the distinct
-- ones of any range; one more than knockmap_pairs at most (the page
-- leaves the sets out then).
WITH b AS (
    SELECT CAST(floor(epoch(ts) / getvariable('knockmap_bucket')) AS BIGINT) AS b, ip, username
    FROM attempts
)
SELECT 'i' AS dim, ip AS key, b FROM b WHERE ip IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'u', coalesce(username, ''), b FROM b GROUP BY ALL
ORDER BY dim, key, b
LIMIT getvariable('knockmap_pairs') + 1
