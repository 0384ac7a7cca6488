-- The usernames most often tried.
SELECT coalesce(username, '') AS label, CAST(sum(attempts) AS BIGINT) AS n
FROM username_days
GROUP BY username
ORDER BY n DESC, label
LIMIT 20
