-- When the ingest $skip runs back finished (0: the last one); no row when
-- there were fewer (pipeline/activity).
SELECT finished
FROM ingest_runs
ORDER BY finished DESC
LIMIT 1 OFFSET $skip
