-- Load one Arrow batch (registered as the view "batch") into event_rows.
-- A row already loaded from another source (an overlapping file, a journal
-- export that starts earlier than the last one ended) has the same time
-- stamp and key, and is dropped; rows of the same source never overlap,
-- since each source is read from where it was left. $1, $2: the batch's
-- first and last ts; $3: the batch's source id.
INSERT INTO event_rows
SELECT b.*
FROM batch AS b
WHERE NOT EXISTS (
    SELECT 1
    FROM event_rows AS e
    WHERE e.key = b.key
      AND e.ts = b.ts
      AND e.ts BETWEEN $1 AND $2
      AND e.source_id <> $3
)
