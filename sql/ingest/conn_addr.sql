-- The address each connection named, for the connections that gained
-- lines in this ingest ($1: the lowest id among them) and have none yet:
-- the lines of one connection name one client.
INSERT INTO conn_addr
SELECT e.conn, min(e.ip_id), max(e.port)
FROM event_rows AS e
WHERE e.conn >= $1 AND e.ip_id <> 0
  AND e.conn NOT IN (SELECT conn FROM conn_addr WHERE conn >= $1)
GROUP BY e.conn
