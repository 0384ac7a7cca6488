-- knockmap schema 29: the connections' numbers and lists made from any
-- set of lines, so that longest_connections makes them for its own only.
--
-- longest_connections picked its rows from connection_stats ordered by
-- span. That needs ended_kind_id for every connection, an arg_max by a
-- HUGEINT, whose state DuckDB keeps outside the aggregate it can spill:
-- over 10.5M attempts (22.7M lines, 11.9M connections) it ran out under
-- 128 MB and `knockmap query` ran it again under DuckDB's own limit, 14
-- to 28 s and 2.7 GB. Handing the kept connections to a macro as a list
-- did not help: with the list from a scalar subquery DuckDB no longer
-- knew how few rows follow, sized the joins after them for millions and
-- ran out before the spans were counted.
--
-- Here the two macros take the name of a relation of lines (a table,
-- view or the caller's CTE; query_table resolves it where the macro is
-- expanded) with the columns of connection_lines, event_rows with each
-- row's rowid as line_id. The views are the same macros over every line:
-- the same columns and rows as schema 26. longest_connections counts the
-- spans alone (a fixed-size aggregate), joins the kept connections' ids
-- to their lines, and hands those to the macros: the same rows in 4.5
-- to 5.9 s and 249 MB, under 128 MB.
CREATE OR REPLACE VIEW connection_lines AS
SELECT *, rowid AS line_id FROM event_rows;

-- connection_stats_from(lines): one row per connection of those lines,
-- with fixed-size sums only, keyed by ids (host_id, ip_id, ended_kind_id
-- into dict and kinds); the outcome from the highest rank of the
-- connection's kinds, in the order the view's CASE tested them
-- (accepted, failed, dropped, refused, else probe)
CREATE OR REPLACE MACRO connection_stats_from(lines) AS TABLE
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
           max(r.rank) AS rank,
           -- the kind of the last line: in time, then in the order read
           -- (rowid follows the files)
           arg_max(e.kind_id, CAST(epoch_us(e.ts) AS HUGEINT) * 1099511627776 + e.line_id) AS ended_kind_id, count(*) AS lines
    FROM query_table(lines) AS e JOIN ranks AS r ON r.id = e.kind_id
    WHERE e.conn <> 0
    GROUP BY e.conn
)
SELECT s.conn AS id, s.host_id, s.pid, s.first_ts, s.last_ts, c.ip_id, s.port, s.attempts,
       CASE s.rank WHEN 4 THEN 'accepted' WHEN 3 THEN 'failed' WHEN 2 THEN 'dropped' WHEN 1 THEN 'refused' ELSE 'probe' END AS outcome,
       s.ended_kind_id, s.lines
FROM sums AS s
LEFT JOIN conn_addr AS c ON c.conn = s.conn;

-- connection_names_from(lines): the usernames and methods each
-- connection of those lines named, in text order, from the distinct
-- (connection, id) pairs
CREATE OR REPLACE MACRO connection_names_from(lines) AS TABLE
SELECT p.conn AS id,
       list(d.value ORDER BY d.value) FILTER (WHERE p.m = 0) AS usernames,
       list(d.value ORDER BY d.value) FILTER (WHERE p.m = 1) AS methods
FROM (SELECT DISTINCT conn, 0 AS m, user_id AS name_id FROM query_table(lines)
      WHERE conn <> 0 AND user_id <> 0
      UNION ALL
      SELECT DISTINCT conn, 1, method_id FROM query_table(lines)
      WHERE conn <> 0 AND method_id <> 0) AS p
JOIN dict AS d ON d.id = p.name_id
GROUP BY p.conn;

CREATE OR REPLACE VIEW connection_stats AS
SELECT * FROM connection_stats_from('connection_lines');
CREATE OR REPLACE VIEW connection_names AS
SELECT * FROM connection_names_from('connection_lines');
