-- The usernames tried most often, with how many addresses tried each.
-- param: limit = 20
SELECT username, CAST(sum(attempts) AS BIGINT) AS attempts, count(DISTINCT ip) AS addresses
FROM failed_login_lines
GROUP BY username
ORDER BY attempts DESC, username
LIMIT CAST($limit AS INTEGER);
