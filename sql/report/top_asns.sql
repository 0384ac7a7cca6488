-- The networks (autonomous systems) most attempts come from.
SELECT 'AS' || asn || ' ' || coalesce(any_value(as_org), '') AS label, CAST(sum(attempts) AS BIGINT) AS n
FROM addresses
WHERE asn IS NOT NULL
GROUP BY asn
ORDER BY n DESC, asn
LIMIT 15
