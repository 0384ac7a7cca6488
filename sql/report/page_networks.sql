-- The networks (/24, /48) most of the period's attempts come from
-- (net_prefix, in sql/0014_campaigns.sql, is worked out once an address).
WITH per_ip AS (
    SELECT ip, CAST(sum(attempts) AS BIGINT) AS attempts, any_value(country_code) AS country,
           min(ts) AS first_seen, max(ts) AS last_seen
    FROM attempts
    GROUP BY ip
)
SELECT net_prefix(ip) AS network, CAST(sum(attempts) AS BIGINT) AS attempts,
       count(*) AS addresses, any_value(country) AS country,
       min(first_seen) AS "first seen", max(last_seen) AS "last seen"
FROM per_ip
WHERE net_prefix(ip) IS NOT NULL
GROUP BY ALL
ORDER BY attempts DESC, network
LIMIT 20
