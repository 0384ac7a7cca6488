-- The networks (/24, /48) most of the period's attempts come from
-- (net_prefix, in sql/0014_campaigns.sql, is worked out once an address):
-- ranked from the addresses' sums, then the first and last attempt of
-- the twenty's addresses alone read from the rows, by id.
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
), top_ids AS (
    SELECT d.id, t.network FROM dict AS d JOIN top_ips AS t ON t.ip = d.value
), seen AS (
    -- by address id first, from the rows themselves: the lines view's
    -- joins to dict for every row were most of the statement's time, as
    -- net_prefix a row was before
    SELECT t.network, min(s.first_seen) AS first_seen, max(s.last_seen) AS last_seen
    FROM (SELECT ip_id, min(ts) AS first_seen, max(ts) AS last_seen FROM event_rows
          WHERE kind_id = getvariable('knockmap_failed')
            AND ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
            AND ip_id IN (SELECT id FROM top_ids)
          GROUP BY ip_id) AS s
    JOIN top_ids AS t ON t.id = s.ip_id
    GROUP BY t.network
)
SELECT t.network, t.attempts, t.addresses, t.country,
       s.first_seen AS "first seen", s.last_seen AS "last seen"
FROM top AS t LEFT JOIN seen AS s ON s.network = t.network
ORDER BY t.attempts DESC, t.network
