-- Totals for the report's heading.
SELECT count(*)                          AS attempts,
       count(DISTINCT ip)                AS addresses,
       count(DISTINCT username)          AS usernames,
       count(DISTINCT country_code)      AS countries,
       count(DISTINCT asn)               AS asns,
       min(ts)                           AS first_ts,
       max(ts)                           AS last_ts,
       count(*) FILTER (WHERE latitude IS NOT NULL) AS located
FROM attempts
