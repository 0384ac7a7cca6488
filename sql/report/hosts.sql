-- Attempts per host (the syslog host of each line, or the one ingest's
-- --host or a source's host set), for the page's host list: most first,
-- at most 500, since a forged line can name any host.
SELECT coalesce(host, '')                  AS host,
       CAST(sum(attempts) AS BIGINT)       AS attempts,
       count(DISTINCT ip)                  AS addresses,
       count(DISTINCT username)            AS usernames,
       count(DISTINCT country_code)        AS countries,
       min(ts)                             AS first_ts,
       max(ts)                             AS last_ts
FROM attempts
GROUP BY host
ORDER BY attempts DESC, host
LIMIT 500
