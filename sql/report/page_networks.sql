-- The networks (/24, /48) most of the period's attempts come from
-- (net_prefix, in sql/0014_campaigns.sql, is worked out once an address):
-- ranked from the addresses' sums, then the first and last attempt of
-- the twenty alone read from the rows.
WITH per_ip AS (
    SELECT ip, CAST(sum(attempts) AS BIGINT) AS attempts, any_value(country_code) AS country
    FROM addresses
    GROUP BY ip
), top AS (
    SELECT net_prefix(ip) AS network, CAST(sum(attempts) AS BIGINT) AS attempts,
           count(*) AS addresses, any_value(country) AS country
    FROM per_ip
    WHERE net_prefix(ip) IS NOT NULL
    GROUP BY ALL
    ORDER BY attempts DESC, network
    LIMIT 20
), top_ips AS (
    SELECT ip, net_prefix(ip) AS network FROM per_ip
    WHERE net_prefix(ip) IN (SELECT network FROM top)
), seen AS (
    -- by address first: net_prefix a row was most of the statement's time
    SELECT t.network, min(s.first_seen) AS first_seen, max(s.last_seen) AS last_seen
    FROM (SELECT ip, min(ts) AS first_seen, max(ts) AS last_seen FROM lines
          WHERE ip IN (SELECT ip FROM top_ips) GROUP BY ip) AS s
    JOIN top_ips AS t ON t.ip = s.ip
    GROUP BY t.network
)
SELECT t.network, t.attempts, t.addresses, t.country,
       s.first_seen AS "first seen", s.last_seen AS "last seen"
FROM top AS t LEFT JOIN seen AS s ON s.network = t.network
ORDER BY t.attempts DESC, t.network
