-- Totals for the report's heading (first_stamp and last_stamp in
-- sql/report/rollups.sql read the time stamps of the period's first and
-- last days alone).
SELECT CAST(coalesce(sum(attempts), 0) AS BIGINT) AS attempts,
       count(DISTINCT ip)                AS addresses,
       (SELECT count(username) FROM username_sums) AS usernames,
       count(DISTINCT country_code)      AS countries,
       count(DISTINCT asn)               AS asns,
       (SELECT ts FROM first_stamp)      AS first_ts,
       (SELECT ts FROM last_stamp)       AS last_ts,
       CAST(coalesce(sum(attempts) FILTER (WHERE latitude IS NOT NULL), 0) AS BIGINT) AS located
FROM addresses
