-- Every source read, with how many rows it loaded: what knockmap forget
-- lists and chooses from.
SELECT s.id, s.path, s.lines, s.first_ts, s.last_ts, s.last_read,
       (SELECT count(*) FROM event_rows AS e WHERE e.source_id = s.id) AS rows
FROM sources AS s
ORDER BY s.id
