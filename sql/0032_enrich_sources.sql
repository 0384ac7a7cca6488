-- knockmap schema 32: the lines each source had when an enrich last
-- committed.
--
-- An enrich looks up the addresses that ip_geo does not hold yet
-- (sql/enrich/new_addresses.sql). It found them among every event row,
-- a DISTINCT over all of their addresses: 90 ms of a night over 8 copies
-- of gen-authlog's 1M-line log that read 80,000 new lines. Every enrich
-- that commits has answered (and kept in ip_geo) every address of the
-- rows there were, and rows are only added at the end of a source or
-- dropped with the whole source, so the addresses to look for are those
-- of the lines each source read since: enrich_sources holds how many
-- lines it had then, and enrich_since() gives each source's lines from
-- which to look (0 for every source when none is recorded, or when a
-- recorded source is gone or has fewer lines).
CREATE TABLE IF NOT EXISTS enrich_sources (
    source_id     INTEGER NOT NULL,
    lines         BIGINT  NOT NULL
);

CREATE OR REPLACE MACRO enrich_since() AS TABLE
WITH anew AS (
    SELECT NOT EXISTS (SELECT 1 FROM enrich_sources)
           OR EXISTS (SELECT 1 FROM enrich_sources AS f LEFT JOIN sources AS s ON s.id = f.source_id
                      WHERE s.id IS NULL OR s.lines < f.lines) AS all_lines
)
SELECT s.id,
       CASE WHEN (SELECT all_lines FROM anew) THEN 0 ELSE coalesce(f.lines, 0) END AS since
FROM sources AS s
LEFT JOIN enrich_sources AS f ON f.source_id = s.id
WHERE (SELECT all_lines FROM anew) OR f.lines IS NULL OR s.lines > f.lines;
