-- The distinct (address, username) pairs of the failed logins that
-- pipeline/campaign clusters.
SELECT ip, username
FROM failed_login_lines
WHERE ip IS NOT NULL AND username IS NOT NULL
GROUP BY ip, username
ORDER BY ip, username;
