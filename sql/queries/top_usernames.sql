-- The usernames tried most often, with how many addresses tried each.
-- param: limit = 20
SELECT username, count(*) AS attempts, count(DISTINCT ip) AS addresses
FROM failed_logins
GROUP BY username
ORDER BY attempts DESC, username
LIMIT CAST($limit AS INTEGER);
