-- The usernames most often tried.
SELECT coalesce(username, '') AS label, CAST(attempts AS BIGINT) AS n
FROM username_sums
ORDER BY n DESC, label
LIMIT 20
