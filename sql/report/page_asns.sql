-- The autonomous systems most of the period's attempts come from
-- (net_prefix, in sql/0014_campaigns.sql, is worked out once an address).
WITH per_ip AS (
    SELECT ip, asn, any_value(as_org) AS as_org, any_value(country_code) AS country_code,
           CAST(sum(attempts) AS BIGINT) AS attempts
    FROM addresses
    WHERE asn IS NOT NULL
    GROUP BY ip, asn
)
SELECT 'AS' || asn AS asn, any_value(as_org) AS organisation,
       CAST(sum(attempts) AS BIGINT) AS attempts, count(DISTINCT ip) AS addresses,
       count(DISTINCT net_prefix(ip)) AS networks,
       array_to_string(list(DISTINCT country_code ORDER BY country_code) FILTER (WHERE country_code IS NOT NULL), ' ') AS countries
FROM per_ip
GROUP BY asn
ORDER BY attempts DESC, asn
LIMIT 20
