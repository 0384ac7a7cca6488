-- Totals for the report's heading. The first and last attempt are a min
-- and max over the rows' time stamps (no rollup keeps them, so that forget
-- can take rows away from the sums).
SELECT CAST(coalesce(sum(attempts), 0) AS BIGINT) AS attempts,
       count(DISTINCT ip)                AS addresses,
       (SELECT count(DISTINCT username) FROM username_days) AS usernames,
       count(DISTINCT country_code)      AS countries,
       count(DISTINCT asn)               AS asns,
       (SELECT min(ts) FROM stamps)      AS first_ts,
       (SELECT max(ts) FROM stamps)      AS last_ts,
       CAST(coalesce(sum(attempts) FILTER (WHERE latitude IS NOT NULL), 0) AS BIGINT) AS located
FROM addresses
