-- Totals for the report's heading.
SELECT CAST(coalesce(sum(attempts), 0) AS BIGINT) AS attempts,
       count(DISTINCT ip)                AS addresses,
       count(DISTINCT username)          AS usernames,
       count(DISTINCT country_code)      AS countries,
       count(DISTINCT asn)               AS asns,
       min(ts)                           AS first_ts,
       max(ts)                           AS last_ts,
       CAST(coalesce(sum(attempts) FILTER (WHERE latitude IS NOT NULL), 0) AS BIGINT) AS located
FROM attempts
