-- Drop the rows that no committed ingest accounts for: a SIGKILL while
-- DuckDB (1.5.6) commits a large ingest can leave that ingest's event rows
-- on disk without its sources, dict or ingest_runs rows (the kill test in
-- pipeline/ingest shows it). A row is accounted for when its source is
-- known and its line is within what that source has read.
DELETE FROM event_rows AS e
WHERE NOT EXISTS (
    SELECT 1 FROM sources AS s
    WHERE s.id = e.source_id AND e.line <= s.lines
)
