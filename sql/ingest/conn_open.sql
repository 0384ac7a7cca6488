-- The connections the last ingest left open (see sql/0009_connections.sql).
SELECT host_hash, pid, conn, last_us, addr_hash, port, flags FROM conn_open
