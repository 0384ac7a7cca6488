-- knockmap schema 11: the client's host name in a column of its own.
--
-- With UseDNS sshd (and PAM's rhost=) may name the client by a host name
-- instead of its address. The name is chosen by whoever controls the
-- client's reverse DNS, so it is never stored as the address: it goes to
-- rhost, and the line takes its connection's address where another line
-- of the connection names one (ip, as for any line without an address).
ALTER TABLE event_rows ADD COLUMN IF NOT EXISTS rhost_id UINTEGER DEFAULT 0;

CREATE OR REPLACE VIEW events AS
SELECT e.ts,
       h.value              AS host,
       nullif(e.pid, 0)     AS pid,
       k.name               AS kind,
       m.value              AS method,
       u.value              AS username,   -- exactly as logged: attacker-controlled text
       e.invalid_user,
       coalesce(a.value, ca.value) AS ip,  -- ::ffff:a.b.c.d is stored as a.b.c.d; else the connection's
       nullif(e.port, 0)    AS port,
       e.repeat,
       e.source_id,
       e.line,
       nullif(e.conn, 0)    AS connection,
       e.ip_id = 0 AND ca.value IS NOT NULL AS ip_from_connection,
       r.value              AS rhost       -- a host name sshd logged instead of an address: chosen by whoever runs the client's DNS
FROM event_rows AS e
JOIN kinds AS k ON k.id = e.kind_id
LEFT JOIN dict AS h ON h.id = e.host_id
LEFT JOIN dict AS m ON m.id = e.method_id
LEFT JOIN dict AS u ON u.id = e.user_id
LEFT JOIN dict AS a ON a.id = e.ip_id
LEFT JOIN conn_addr AS c ON c.conn = e.conn AND e.ip_id = 0 AND e.conn <> 0
LEFT JOIN dict AS ca ON ca.id = c.ip_id
LEFT JOIN dict AS r ON r.id = e.rhost_id;
