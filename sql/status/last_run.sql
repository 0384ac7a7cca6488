-- knockmap status: the last ingest.
SELECT started, finished, files, lines, new_rows, skipped, bad
FROM ingest_runs
ORDER BY finished DESC
LIMIT 1
