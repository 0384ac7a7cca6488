-- Load one Arrow batch (registered as the view "batch") into event_rows.
-- A row already loaded from another source (an overlapping file, a journal
-- export that starts earlier than the last one ended, a rotated file read
-- again as a new source) has the same time stamp and key, and is dropped;
-- rows of the same source never overlap, since each source is read from
-- where it was left. $1, $2: the batch's first and last ts; $3: the
-- batch's source id; $4: that source's first ts; $5: the ts of its last
-- rows when this is its last batch (else one after $2).
--
-- The key numbers identical lines of one second within their source, so
-- within a second that two sources both hold whole (or from its start) it
-- tells each line from the others. Where one source ends and the other
-- begins in the same second, as a rotated log and its successor do, each
-- holds only part of that second, numbered from its own start: a line at
-- the end of one and an identical line at the start of the other are two
-- lines of the log, not one seen twice, and both are kept.
INSERT INTO event_rows
SELECT b.*
FROM batch AS b
WHERE NOT EXISTS (
    SELECT 1
    FROM event_rows AS e
    JOIN sources AS s ON s.id = e.source_id
    WHERE e.key = b.key
      AND e.ts = b.ts
      AND e.ts BETWEEN $1 AND $2
      AND e.source_id <> $3
      AND NOT (b.ts = $4 AND e.ts = s.last_ts)
      AND NOT (b.ts = $5 AND e.ts = s.first_ts)
)
