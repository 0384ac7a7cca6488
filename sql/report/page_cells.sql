-- The page's date-range control: attempts per time bucket (UTC epoch
-- seconds divided by the variable knockmap_bucket: 86400 for days, 3600
-- for hours) by country (all of them, '' for none), ASN, username and
-- source port (the knockmap_keep most frequent of each over the period),
-- so that the page can add up any range of buckets by itself.
WITH b AS (
    SELECT CAST(floor(epoch(ts) / getvariable('knockmap_bucket')) AS BIGINT) AS b, *
    FROM attempts
), cells AS (
    SELECT 'c' AS dim, coalesce(country_code, '') AS key, any_value(country) AS label, b, CAST(sum(attempts) AS BIGINT) AS n
    FROM b GROUP BY country_code, b
    UNION ALL
    SELECT 'a', CAST(asn AS VARCHAR), 'AS' || asn || ' ' || coalesce(any_value(as_org), ''), b, CAST(sum(attempts) AS BIGINT)
    FROM b WHERE asn IS NOT NULL GROUP BY asn, b
    UNION ALL
    SELECT 'u', coalesce(username, ''), NULL, b, CAST(sum(attempts) AS BIGINT)
    FROM b GROUP BY username, b
    UNION ALL
    SELECT 'p', CAST(port AS VARCHAR), NULL, b, CAST(sum(attempts) AS BIGINT)
    FROM b WHERE port IS NOT NULL GROUP BY port, b
), ranked AS (
    SELECT *, dense_rank() OVER (PARTITION BY dim ORDER BY total DESC, key) AS rank
    FROM (SELECT *, sum(n) OVER (PARTITION BY dim, key) AS total FROM cells)
)
SELECT dim, key, label, b, n
FROM ranked
WHERE dim = 'c' OR rank <= getvariable('knockmap_keep')
ORDER BY dim, rank, b
