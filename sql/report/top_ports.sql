-- The clients' source ports most often used (the server's port is 22;
-- the source port is picked by the attacker's system).
SELECT CAST(port AS VARCHAR) AS label, CAST(sum(attempts) AS BIGINT) AS n
FROM port_days
WHERE port IS NOT NULL
GROUP BY port
ORDER BY n DESC, port
LIMIT 20
