-- The connections that lasted longest, from their first line to their
-- last, with what they tried and how they came out.
-- param: limit = 20
-- (picked from connection_stats by id first, so that only the kept
-- connections get their text and their lists of usernames)
WITH top AS MATERIALIZED (
    SELECT *, last_ts - first_ts AS lasted
    FROM connection_stats
    ORDER BY lasted DESC, id
    LIMIT CAST($limit AS INTEGER)
)
SELECT t.id, h.value AS host, t.pid, a.value AS ip, t.port, t.first_ts, t.last_ts, t.lasted,
       t.attempts, t.outcome, k.name AS ended_with, n.usernames, t.lines
FROM top AS t
LEFT JOIN connection_names_of((SELECT list(id) FROM top)) AS n ON n.id = t.id
LEFT JOIN dict AS h ON h.id = t.host_id
LEFT JOIN dict AS a ON a.id = t.ip_id
LEFT JOIN kinds AS k ON k.id = t.ended_kind_id
ORDER BY t.lasted DESC, t.id;
