-- The buckets (b, as in page_cells.sql) in which each address ('i') and
-- each username ('u') failed to log in, for the page to count the
-- distinct ones of any range; one more than knockmap_pairs at most (the
-- page leaves the sets out then).
SELECT 'i' AS dim, ip AS key, b FROM address_days WHERE ip IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'u', coalesce(username, ''), b FROM username_days GROUP BY ALL
ORDER BY dim, key, b
LIMIT getvariable('knockmap_pairs') + 1
