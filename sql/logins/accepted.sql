-- Where each successful login was read: its source, line and time
-- (pipeline/logins, Loaded.FirstNew).
SELECT e.source_id, e.line, e.ts
FROM event_rows AS e
WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'accepted')
