-- The networks (autonomous systems) most failed attempts come from.
-- param: limit = 20
SELECT asn, any_value(as_org) AS as_org, CAST(sum(attempts) AS BIGINT) AS attempts, count(DISTINCT ip) AS addresses
FROM failed_login_lines_geo
WHERE asn IS NOT NULL
GROUP BY asn
ORDER BY attempts DESC, asn
LIMIT CAST($limit AS INTEGER);
