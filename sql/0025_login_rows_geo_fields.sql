-- knockmap schema 25: login_rows_stale says a kept login is stale when
-- its address's country or ASN changed, not when it was located again,
-- and reads only what can have changed.
--
-- login_rows_geo (sql/0021_login_rows.sql) hashed each address's whole
-- ip_geo row, enriched_at and the city included, so that `knockmap
-- enrich --refresh` made every kept login stale though nothing it reads
-- had moved, and the next reader computed all of them (5.3 s over 10.5M
-- attempts instead of 0.6). logins_since reads an address's country and
-- ASN only; those are what is hashed now. The hashes kept are of the old
-- kind, so the next run computes the rows once.
--
-- login_rows_stale is asked three times a night (the refresh, the
-- alerts, the report's table), and each time it scanned every row: for
-- lines beyond those the kept rows were computed from, and for logins
-- whose address comes from their connection (125 ms over 8 copies of
-- gen-authlog's 1M-line log).
-- A source's rows past its recorded lines exist only if the source has
-- more lines now, so the lines added are looked for in those sources
-- only. A login takes its connection's address only when its own line
-- names none, and a connection gets one row in conn_addr, added by the
-- ingest when a line of it first names an address: so a kept login whose
-- address is now another is one whose connection got its row after the
-- refresh. conn_addr's count is kept with the refresh's time, and only its
-- rows past it are joined, without reading event_rows. Same result.
ALTER TABLE login_rows_at ADD COLUMN IF NOT EXISTS conn_addrs BIGINT;

CREATE OR REPLACE MACRO login_rows_stale() AS TABLE
WITH shown AS (
    SELECT id FROM kinds WHERE name IN ('failed', 'accepted')
), redo AS (
    SELECT NOT EXISTS (SELECT 1 FROM login_rows_at)
           OR EXISTS (SELECT 1 FROM login_rows_sources AS s LEFT JOIN sources AS c ON c.id = s.source_id
                      WHERE c.id IS NULL OR c.lines < s.lines) AS all_stale
), grown AS (
    SELECT c.id, coalesce(s.lines, 0) AS lines
    FROM sources AS c
    LEFT JOIN login_rows_sources AS s ON s.source_id = c.id
    WHERE s.lines IS NULL OR c.lines > s.lines
), added AS (
    SELECT min(e.ts) AS ts
    FROM event_rows AS e
    JOIN grown AS g ON g.id = e.source_id AND e.line > g.lines
    WHERE e.kind_id IN (SELECT id FROM shown)
), moved AS (
    SELECT g.ip FROM ip_geo AS g
    WHERE NOT EXISTS (SELECT 1 FROM login_rows_geo AS o WHERE o.ip = g.ip AND o.h = hash(g.country, g.asn))
    UNION
    SELECT o.ip FROM login_rows_geo AS o
    WHERE NOT EXISTS (SELECT 1 FROM ip_geo AS g WHERE g.ip = o.ip)
), relocated AS (
    SELECT min(e.ts) AS ts
    FROM event_rows AS e
    WHERE e.kind_id IN (SELECT id FROM shown)
      AND e.ip_id IN (SELECT d.id FROM dict AS d WHERE d.value IN (SELECT ip FROM moved))
), readdressed AS (
    -- a login whose line named no address, and whose connection named one
    -- since: conn_addr's rows from the count kept on (its rowids are its
    -- rows in the order added)
    SELECT min(r.ts) AS ts
    FROM login_rows AS r
    JOIN conn_addr AS c ON c.conn = r.connection
    LEFT JOIN dict AS d ON d.id = c.ip_id
    WHERE c.rowid >= coalesce((SELECT max(conn_addrs) FROM login_rows_at), 0)
      AND r.ip IS DISTINCT FROM d.value
)
SELECT CASE WHEN (SELECT all_stale FROM redo) THEN CAST('-infinity' AS TIMESTAMPTZ)
            ELSE least((SELECT ts FROM added), (SELECT ts FROM relocated), (SELECT ts FROM readdressed))
       END AS stale_from;
