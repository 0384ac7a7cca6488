-- The addresses that tried the most distinct usernames: dictionary attacks.
-- param: limit = 20
SELECT ip, count(DISTINCT username) AS usernames, CAST(sum(attempts) AS BIGINT) AS attempts,
       min(ts) AS first_seen, max(ts) AS last_seen
FROM failed_login_lines
GROUP BY ip
ORDER BY usernames DESC, attempts DESC, ip
LIMIT CAST($limit AS INTEGER);
