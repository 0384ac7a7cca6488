-- The event rows there are now, and how many the last enrich saw (-1: none
-- ran yet).
SELECT (SELECT count(*) FROM event_rows),
       coalesce((SELECT rows_seen FROM enrich_runs ORDER BY started DESC LIMIT 1), -1)
