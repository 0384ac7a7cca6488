-- The host of a report of one host (sql/report/host_count.sql): that of
-- any of its rows.
SELECT coalesce(host, '') AS host FROM lines LIMIT 1
