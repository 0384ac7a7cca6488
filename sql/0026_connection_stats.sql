-- knockmap schema 26: connection_stats, the connections view's numbers by
-- id, so that what does not need the usernames' and methods' lists does
-- not make them.
--
-- The connections view (sql/0009_connections.sql) joined every row to
-- the text of its host, username and method before grouping by
-- connection, and its two ordered lists cannot spill: over 10.5M attempts
-- (22.7M rows, 4.6M connections) longest_connections took 43 s and 3.4 GB,
-- connections_per_address 9 s and 1.4 GB, outcomes_per_day 15 s and 1.3
-- GB, and none of them ran under knockmap's 128 MB limit.
--
-- connection_stats has one row per connection with fixed-size sums only,
-- keyed by ids (host_id, ip_id, ended_kind_id into dict and kinds), which
-- DuckDB spills; the outcome comes from the highest rank of the
-- connection's kinds, in the order the view's CASE tested them (accepted,
-- failed, dropped, refused, else probe). The named queries pick their
-- rows from it first and join text and lists (connection_names_of) to
-- those rows only.
-- connections is the same view as before, built on it: the same columns
-- and rows, the lists made from the distinct (connection, id) pairs, but
-- ended_with is now the kind of the connection's last line read at its
-- last second rather than any line of that second.
CREATE OR REPLACE VIEW connection_stats AS
WITH ranks AS (
    SELECT id,
           CASE WHEN name = 'accepted' THEN 4
                WHEN name = 'failed' THEN 3
                WHEN name IN ('penalty_drop', 'maxstartups_drop', 'penalty') THEN 2
                WHEN name IN ('invalid_user', 'not_allowed', 'root_refused', 'pam_failure', 'max_attempts', 'too_many_failures',
                              'refuse_connection', 'userauth_invalid_user', 'pam_user_unknown', 'pam_requirement_not_met') THEN 1
                ELSE 0
           END AS rank,
           name = 'failed' AS failed
    FROM kinds
), sums AS (
    SELECT e.conn, any_value(e.host_id) AS host_id, any_value(e.pid) AS pid,
           min(e.ts) AS first_ts, max(e.ts) AS last_ts, nullif(max(e.port), 0) AS port,
           coalesce(sum(e.repeat) FILTER (WHERE r.failed), 0) AS attempts,
           max(r.rank) AS rank, -- the kind of the last line: in time, then in the order read (rowid
           -- follows the files; at the same second the view took whichever
           -- came first in its scan, for 11% of 4.6M connections)
           arg_max(e.kind_id, CAST(epoch_us(e.ts) AS HUGEINT) * 1099511627776 + e.rowid) AS ended_kind_id, count(*) AS lines
    FROM event_rows AS e JOIN ranks AS r ON r.id = e.kind_id
    WHERE e.conn <> 0
    GROUP BY e.conn
)
SELECT s.conn AS id, s.host_id, s.pid, s.first_ts, s.last_ts, c.ip_id, s.port, s.attempts,
       CASE s.rank WHEN 4 THEN 'accepted' WHEN 3 THEN 'failed' WHEN 2 THEN 'dropped' WHEN 1 THEN 'refused' ELSE 'probe' END AS outcome,
       s.ended_kind_id, s.lines
FROM sums AS s
LEFT JOIN conn_addr AS c ON c.conn = s.conn;

-- connection_names_of(ids): the usernames and methods each connection of
-- the list ids named (all of them for NULL), in text order; the named
-- queries ask for those of their kept rows only, since joining the
-- lists of every connection runs out under 128 MB
CREATE OR REPLACE MACRO connection_names_of(ids) AS TABLE
SELECT p.conn AS id,
       list(d.value ORDER BY d.value) FILTER (WHERE p.m = 0) AS usernames,
       list(d.value ORDER BY d.value) FILTER (WHERE p.m = 1) AS methods
FROM (SELECT DISTINCT conn, 0 AS m, user_id AS name_id FROM event_rows
      WHERE conn <> 0 AND user_id <> 0 AND (ids IS NULL OR list_contains(ids, conn))
      UNION ALL
      SELECT DISTINCT conn, 1, method_id FROM event_rows
      WHERE conn <> 0 AND method_id <> 0 AND (ids IS NULL OR list_contains(ids, conn))) AS p
JOIN dict AS d ON d.id = p.name_id
GROUP BY p.conn;
CREATE OR REPLACE VIEW connection_names AS
SELECT * FROM connection_names_of(CAST(NULL AS UINTEGER[]));

CREATE OR REPLACE VIEW connections AS
SELECT s.id, h.value AS host, s.pid, s.first_ts, s.last_ts, a.value AS ip, s.port,
       n.usernames, s.attempts, n.methods, s.outcome, k.name AS ended_with, s.lines
FROM connection_stats AS s
LEFT JOIN connection_names AS n ON n.id = s.id
LEFT JOIN dict AS h ON h.id = s.host_id
LEFT JOIN dict AS a ON a.id = s.ip_id
LEFT JOIN kinds AS k ON k.id = s.ended_kind_id;
