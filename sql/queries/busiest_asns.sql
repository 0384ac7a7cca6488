-- The networks (autonomous systems) most failed attempts come from.
-- param: limit = 20
SELECT asn, any_value(as_org) AS as_org, count(*) AS attempts, count(DISTINCT ip) AS addresses
FROM failed_logins_geo
WHERE asn IS NOT NULL
GROUP BY asn
ORDER BY attempts DESC, asn
LIMIT CAST($limit AS INTEGER);
