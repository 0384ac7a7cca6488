-- The clients' source ports most often used (the server's port is 22;
-- the source port is picked by the attacker's system).
SELECT CAST(port AS VARCHAR) AS label, total AS n
FROM temp.report_port_ranks
ORDER BY total DESC, port
LIMIT 20
