-- Failed attempts by authentication method.
SELECT method, CAST(sum(attempts) AS BIGINT) AS attempts
FROM failed_login_lines
GROUP BY method
ORDER BY attempts DESC;
