-- knockmap schema 25: a kept login is stale when its address's country or
-- ASN changed, not when its address was located again.
--
-- login_rows_geo (sql/0021_login_rows.sql) hashed each address's whole
-- ip_geo row, enriched_at and the city included, so that `knockmap
-- enrich --refresh` made every kept login stale though nothing it reads
-- had moved, and the next reader computed all of them (5.3 s over 10.5M
-- attempts instead of 0.6). logins_since reads an address's country and
-- ASN only; those are what is hashed now. The hashes kept are of the old
-- kind, so the next run computes the rows once.
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
