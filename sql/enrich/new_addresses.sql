-- Addresses in events that ip_geo does not hold yet: those of the lines
-- each source read since the last enrich (enrich_since(),
-- sql/0032_enrich_sources.sql), past line $1, the fewest of those lines
-- (sql/enrich/since.sql), which DuckDB tests against each row group's
-- line numbers, so that a night reads the row groups of its own lines.
SELECT d.value
FROM dict AS d
WHERE d.id IN (SELECT DISTINCT e.ip_id
               FROM event_rows AS e
               JOIN enrich_since() AS g ON g.id = e.source_id AND e.line > g.since
               WHERE e.ip_id <> 0 AND e.line > CAST($1 AS BIGINT))
  AND d.value NOT IN (SELECT ip FROM ip_geo)
