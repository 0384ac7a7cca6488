-- knockmap schema 21: the logins view's rows, kept.
--
-- logins_since(t) (sql/0016_logins_asof.sql) computes each login of t on
-- from the whole history: running sums over every failed attempt of the
-- logins' addresses, networks and ASNs, 1.5 s for the 300 logins of a
-- night over 8 copies of gen-authlog's 1M-line log, 2 s for all 13,719,
-- and the nightly job and the report each asked for them.
--
-- login_rows holds its rows as they were last computed, and with them
-- what they were computed from: how many lines each source had
-- (login_rows_sources), the ip_geo row of each address, hashed
-- (login_rows_geo), and when (login_rows_at: no row, never). A login's
-- row depends only on what came before it: the rows before its time and
-- where their addresses are. So when lines are added, the rows from the
-- first time stamp among them on are stale, and no others; when an
-- address is located anew, those from its first line on. login_rows_stale
-- says from when (NULL: none), and pipeline/logins computes again only
-- those (Refresh, after each ingest and enrich); a reader that finds any
-- stale computes its logins as before (stored_logins_since is the kept
-- rows, used only when none is).
CREATE TABLE IF NOT EXISTS login_rows AS
SELECT * FROM logins_since(CAST('infinity' AS TIMESTAMPTZ)) LIMIT 0;

CREATE TABLE IF NOT EXISTS login_rows_sources (
    source_id     INTEGER NOT NULL,
    lines         BIGINT  NOT NULL
);

CREATE TABLE IF NOT EXISTS login_rows_geo (
    ip            VARCHAR NOT NULL,
    h             UBIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS login_rows_at (
    computed_at   TIMESTAMPTZ NOT NULL
);

-- The first time stamp from which login_rows is stale: '-infinity' when it
-- was never computed or a source it read lost lines (forget); else the
-- first failed or successful login line added since, of an address whose
-- place changed since, or of a login whose address came from its
-- connection and is now another; NULL when none.
CREATE OR REPLACE MACRO login_rows_stale() AS TABLE
WITH shown AS (
    SELECT id FROM kinds WHERE name IN ('failed', 'accepted')
), redo AS (
    SELECT NOT EXISTS (SELECT 1 FROM login_rows_at)
           OR EXISTS (SELECT 1 FROM login_rows_sources AS s LEFT JOIN sources AS c ON c.id = s.source_id
                      WHERE c.id IS NULL OR c.lines < s.lines) AS all_stale
), added AS (
    SELECT min(e.ts) AS ts
    FROM event_rows AS e
    LEFT JOIN login_rows_sources AS s ON s.source_id = e.source_id
    WHERE e.kind_id IN (SELECT id FROM shown) AND (s.lines IS NULL OR e.line > s.lines)
), moved AS (
    SELECT g.ip FROM ip_geo AS g
    WHERE NOT EXISTS (SELECT 1 FROM login_rows_geo AS o WHERE o.ip = g.ip AND o.h = hash(g))
    UNION
    SELECT o.ip FROM login_rows_geo AS o
    WHERE NOT EXISTS (SELECT 1 FROM ip_geo AS g WHERE g.ip = o.ip)
), relocated AS (
    SELECT min(e.ts) AS ts
    FROM event_rows AS e
    WHERE e.kind_id IN (SELECT id FROM shown)
      AND e.ip_id IN (SELECT d.id FROM dict AS d WHERE d.value IN (SELECT ip FROM moved))
), readdressed AS (
    SELECT min(r.ts) AS ts
    FROM login_rows AS r
    JOIN event_rows AS e ON e.source_id = r.source_id AND e.line = r.line
    LEFT JOIN conn_addr AS c ON c.conn = e.conn
    LEFT JOIN dict AS d ON d.id = c.ip_id
    WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'accepted') AND e.ip_id = 0 AND e.conn <> 0
      AND r.ip IS DISTINCT FROM d.value
)
SELECT CASE WHEN (SELECT all_stale FROM redo) THEN CAST('-infinity' AS TIMESTAMPTZ)
            ELSE least((SELECT ts FROM added), (SELECT ts FROM relocated), (SELECT ts FROM readdressed))
       END AS stale_from;

-- The kept rows of the logins from from_ts on: what logins_since(from_ts)
-- gives while login_rows_stale() is NULL.
CREATE OR REPLACE MACRO stored_logins_since(from_ts) AS TABLE
SELECT * FROM login_rows WHERE ts >= from_ts;
