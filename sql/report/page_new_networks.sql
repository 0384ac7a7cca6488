-- The networks (/24, /48) first seen in the last 7 days of the period
-- (counted back from its newest attempt): no failed login came from them
-- before (net_prefix, in sql/0014_campaigns.sql, is worked out once an
-- address). The addresses seen before come from the per-day rollups,
-- summed by address (rollup_address_totals), so that the whole history
-- is not read row by row. The report sets knockmap_recent to the newest
-- attempt's time less 7 days (pipeline/report's loadExtra): a constant,
-- which DuckDB's row-group bounds on ts answer, where a subquery's value
-- had every row of the period read.
WITH recent AS (
    SELECT getvariable('knockmap_recent') AS since
), per_ip AS (
    SELECT ip, CAST(sum(attempts) AS BIGINT) AS attempts, any_value(country_code) AS country,
           min(ts) AS first_seen, max(ts) AS last_seen
    FROM attempts
    WHERE ts >= getvariable('knockmap_recent')
    GROUP BY ip
), cur AS (
    SELECT net_prefix(ip) AS network, CAST(sum(attempts) AS BIGINT) AS attempts,
           count(*) AS addresses, any_value(country) AS country,
           min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM per_ip
    GROUP BY ALL
), before AS (
    -- the addresses seen before: on the days before since's from the
    -- rollups, on its own day from the rows
    SELECT DISTINCT net_prefix(ip) AS network
    FROM (SELECT ip FROM rollup_address_totals(DATE '0001-01-01', utc_day((SELECT since FROM recent)))
          UNION
          SELECT DISTINCT ip FROM failed_login_lines
          WHERE ts < getvariable('knockmap_recent') AND ts >= getvariable('knockmap_recent') - INTERVAL 1 DAY
            AND utc_day(ts) = utc_day(getvariable('knockmap_recent')))
)
SELECT network, attempts, addresses, country, first_seen AS "first seen", last_seen AS "last seen"
FROM cur
WHERE network IS NOT NULL AND network NOT IN (SELECT network FROM before WHERE network IS NOT NULL)
ORDER BY attempts DESC, network
LIMIT 20
