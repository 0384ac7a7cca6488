-- The page's date-range control: attempts per bucket (b of
-- sql/report/rollups.sql: days, or hours for a short period) by country
-- (all of them, '' for none), ASN, username and source port (the
-- knockmap_keep most frequent of each over the period), so that the page
-- can add up any range of buckets by itself.
WITH cells AS (
    SELECT 'c' AS dim, coalesce(country_code, '') AS key, any_value(country) AS label, b, CAST(sum(attempts) AS BIGINT) AS n
    FROM address_days GROUP BY country_code, b
    UNION ALL
    SELECT 'a', CAST(asn AS VARCHAR), 'AS' || asn || ' ' || coalesce(any_value(as_org), ''), b, CAST(sum(attempts) AS BIGINT)
    FROM address_days WHERE asn IS NOT NULL GROUP BY asn, b
    UNION ALL
    SELECT 'u', coalesce(username, ''), NULL, b, CAST(sum(attempts) AS BIGINT)
    FROM username_days GROUP BY username, b
    UNION ALL
    SELECT 'p', CAST(port AS VARCHAR), NULL, b, CAST(sum(attempts) AS BIGINT)
    FROM port_days WHERE port IS NOT NULL GROUP BY port, b
), ranked AS (
    SELECT *, dense_rank() OVER (PARTITION BY dim ORDER BY total DESC, key) AS rank
    FROM (SELECT *, sum(n) OVER (PARTITION BY dim, key) AS total FROM cells)
)
SELECT dim, key, label, b, n
FROM ranked
WHERE dim = 'c' OR rank <= getvariable('knockmap_keep')
ORDER BY dim, rank, b
