-- Where each successful login past line $1 of its source was read: its
-- source, line and time (pipeline/logins, Loaded.FirstNew, which passes
-- the fewest lines a source had before the ingest and keeps those past
-- their own source's).
SELECT e.source_id, e.line, e.ts
FROM event_rows AS e
WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'accepted')
  AND e.line > CAST($1 AS BIGINT)
