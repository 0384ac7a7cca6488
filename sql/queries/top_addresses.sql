-- The source addresses with the most failed attempts, and how many
-- different usernames each tried.
-- param: limit = 15
SELECT ip, CAST(sum(attempts) AS BIGINT) AS attempts, count(DISTINCT username) AS usernames,
       min(ts) AS first_seen, max(ts) AS last_seen
FROM failed_login_lines
GROUP BY ip
ORDER BY attempts DESC, ip
LIMIT CAST($limit AS INTEGER);
