-- The connections that lasted longest, from their first line to their
-- last, with what they tried and how they came out.
-- param: limit = 20
-- (the spans counted alone, then the kept connections' lines handed to
-- connection_stats_from and connection_names_from, so that only those
-- get their sums, text and lists; joined, not filtered by IN, so that
-- DuckDB knows how few lines follow)
WITH spans AS MATERIALIZED (
    SELECT conn, max(ts) - min(ts) AS lasted
    FROM event_rows
    WHERE conn <> 0
    GROUP BY conn
    ORDER BY lasted DESC, conn
    LIMIT CAST($limit AS INTEGER)
), picked AS MATERIALIZED (
    SELECT l.* FROM spans AS s JOIN connection_lines AS l ON l.conn = s.conn
)
SELECT t.id, h.value AS host, t.pid, a.value AS ip, t.port, t.first_ts, t.last_ts, t.last_ts - t.first_ts AS lasted,
       t.attempts, t.outcome, k.name AS ended_with, n.usernames, t.lines
FROM connection_stats_from(picked) AS t
LEFT JOIN connection_names_from(picked) AS n ON n.id = t.id
LEFT JOIN dict AS h ON h.id = t.host_id
LEFT JOIN dict AS a ON a.id = t.ip_id
LEFT JOIN kinds AS k ON k.id = t.ended_kind_id
ORDER BY lasted DESC, t.id;
