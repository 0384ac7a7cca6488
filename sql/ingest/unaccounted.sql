-- How many event rows more there are than the committed ingests loaded
-- (see repair.sql); 0 in a database no crash has touched.
SELECT (SELECT count(*) FROM event_rows) - (SELECT coalesce(sum(new_rows), 0) FROM ingest_runs)
