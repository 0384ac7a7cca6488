-- knockmap schema 9: every line joined to its connection.
--
-- sshd writes one connection as several lines of one pid, and names the
-- client's address on some of them only. pipeline/connection gives each
-- line with a pid the id of its connection (event_rows.conn; 0: none, as
-- for every row loaded before this schema). conn_addr holds the address
-- each connection named first, written by the ingest, so that a line
-- that names none (pam_unix's "check pass; user unknown") shows its
-- connection's address in events (the view, as sql/0011_rhost.sql makes
-- it).
ALTER TABLE event_rows ADD COLUMN IF NOT EXISTS conn UINTEGER DEFAULT 0;

CREATE TABLE IF NOT EXISTS conn_addr (
    conn          UINTEGER NOT NULL,
    ip_id         UINTEGER NOT NULL    -- dict: the first address the connection named
);

-- The connections that may go on in lines not read yet, carried from one
-- ingest to the next (pipeline/connection's Open); replaced by each
-- ingest that read something. next_conn is the id of the next new one.
CREATE TABLE IF NOT EXISTS conn_open (
    host_hash     BIGINT   NOT NULL,   -- xxh3 of the host name; the hashes as signed numbers (database/sql has no uint64)
    pid           INTEGER  NOT NULL,
    conn          UINTEGER NOT NULL,
    last_us       BIGINT   NOT NULL,
    addr_hash     BIGINT   NOT NULL,
    port          INTEGER  NOT NULL,
    flags         UTINYINT NOT NULL
);
CREATE TABLE IF NOT EXISTS conn_next (next UINTEGER NOT NULL);
INSERT INTO conn_next SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM conn_next);

-- One row per connection: its host and pid, first and last line, the
-- address and port it named, the usernames tried, failed authentications
-- (repeats counted), methods, how it came out and how it ended.
--   outcome: accepted (a login), failed (failed authentications, no
--   login), refused (turned away before authenticating: invalid user, not
--   allowed), dropped (by sshd's penalties or MaxStartups, OpenSSH 9.8+),
--   probe (no authentication attempted)
CREATE OR REPLACE VIEW connections AS
SELECT e.conn                                            AS id,
       any_value(h.value)                                AS host,
       any_value(e.pid)                                  AS pid,
       min(e.ts)                                         AS first_ts,
       max(e.ts)                                         AS last_ts,
       any_value(a.value)                                AS ip,
       nullif(max(e.port), 0)                            AS port,
       list(DISTINCT u.value ORDER BY u.value) FILTER (WHERE u.value IS NOT NULL) AS usernames,
       coalesce(sum(e.repeat) FILTER (WHERE k.name = 'failed'), 0) AS attempts,
       list(DISTINCT m.value ORDER BY m.value) FILTER (WHERE m.value IS NOT NULL) AS methods,
       CASE
           WHEN bool_or(k.name = 'accepted') THEN 'accepted'
           WHEN bool_or(k.name = 'failed') THEN 'failed'
           WHEN bool_or(k.name IN ('penalty_drop', 'maxstartups_drop', 'penalty')) THEN 'dropped'
           WHEN bool_or(k.name IN ('invalid_user', 'not_allowed', 'root_refused', 'pam_failure', 'max_attempts', 'too_many_failures',
                                   'refuse_connection', 'userauth_invalid_user', 'pam_user_unknown', 'pam_requirement_not_met')) THEN 'refused'
           ELSE 'probe'
       END                                               AS outcome,
       arg_max(k.name, e.ts)                             AS ended_with,
       count(*)                                          AS lines
FROM event_rows AS e
JOIN kinds AS k ON k.id = e.kind_id
LEFT JOIN dict AS h ON h.id = e.host_id
LEFT JOIN dict AS u ON u.id = e.user_id
LEFT JOIN dict AS m ON m.id = e.method_id
LEFT JOIN conn_addr AS c ON c.conn = e.conn
LEFT JOIN dict AS a ON a.id = c.ip_id
WHERE e.conn <> 0
GROUP BY e.conn;
