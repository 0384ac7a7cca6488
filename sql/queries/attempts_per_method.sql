-- Failed attempts by authentication method.
SELECT method, count(*) AS attempts
FROM failed_logins
GROUP BY method
ORDER BY attempts DESC;
