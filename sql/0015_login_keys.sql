-- knockmap schema 15: the key of each publickey login, and new_key.
--
-- sshd names the key a publickey or hostbased login used ("ED25519
-- SHA256:…"; for a certificate, the certified key's). pipeline/sshd reads
-- it, and the loader stores type and fingerprint as one dict string,
-- "TYPE FINGERPRINT" (pubkey_id; 0: none, as for every row loaded before
-- this schema): neither holds a space. The events view splits it into
-- key_type and key_fingerprint. A local user can write such a line, so
-- the text is only shaped like a key, and is shown escaped like any other.
ALTER TABLE event_rows ADD COLUMN IF NOT EXISTS pubkey_id UINTEGER DEFAULT 0;

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
       r.value              AS rhost,      -- a host name sshd logged instead of an address: chosen by whoever runs the client's DNS
       nullif(split_part(pk.value, ' ', 1), '') AS key_type,        -- a publickey or hostbased login's key, as sshd named it
       nullif(split_part(pk.value, ' ', 2), '') AS key_fingerprint  -- its fingerprint (SHA256:…)
FROM event_rows AS e
JOIN kinds AS k ON k.id = e.kind_id
LEFT JOIN dict AS h ON h.id = e.host_id
LEFT JOIN dict AS m ON m.id = e.method_id
LEFT JOIN dict AS u ON u.id = e.user_id
LEFT JOIN dict AS a ON a.id = e.ip_id
LEFT JOIN conn_addr AS c ON c.conn = e.conn AND e.ip_id = 0 AND e.conn <> 0
LEFT JOIN dict AS ca ON ca.id = c.ip_id
LEFT JOIN dict AS r ON r.id = e.rhost_id
LEFT JOIN dict AS pk ON pk.id = e.pubkey_id;


-- The logins view of sql/0013_logins.sql with the key, and two columns:
--   new_key   the user logged in with a key before, never with this one
--             (by fingerprint)
--   alerts    a reason that is about failed attempts: failed_before,
--             network_failed_before or password_while_bruteforced. What
--             `knockmap run` mails. The others (first_from_*, new_hour,
--             new_key) are what an owner's own logins do now and then (a
--             new café, a late night, a new laptop): stands_out and
--             `knockmap logins` show them, and a login that alerts lists
--             them too, but they never alert alone (docs/database.md).
CREATE OR REPLACE VIEW logins AS
WITH acc AS (
    SELECT e.ts, e.host, e.username, e.method, e.ip, e.port, e.connection, e.source_id, e.line,
           e.key_type, e.key_fingerprint,
           utc_hour(e.ts) AS hour, ip_network(e.ip) AS network, g.country, g.asn
    FROM events AS e
    LEFT JOIN ip_geo AS g ON g.ip = e.ip
    WHERE e.kind = 'accepted'
),
ranked AS (
    SELECT *,
           count(*) OVER (PARTITION BY username ORDER BY ts, source_id, line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS user_before,
           row_number() OVER (PARTITION BY username, ip ORDER BY ts, source_id, line) AS nth_address,
           CASE WHEN asn IS NOT NULL THEN row_number() OVER (PARTITION BY username, asn ORDER BY ts, source_id, line) END AS nth_asn,
           CASE WHEN country IS NOT NULL THEN row_number() OVER (PARTITION BY username, country ORDER BY ts, source_id, line) END AS nth_country,
           row_number() OVER (PARTITION BY username, hour ORDER BY ts, source_id, line) AS nth_hour,
           count(key_fingerprint) OVER (PARTITION BY username ORDER BY ts, source_id, line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS keyed_before,
           CASE WHEN key_fingerprint IS NOT NULL THEN row_number() OVER (PARTITION BY username, key_fingerprint ORDER BY ts, source_id, line) END AS nth_key
    FROM acc
),
failed AS (
    SELECT e.ts, e.ip_id, e.user_id, e.conn, e.repeat AS attempts
    FROM event_rows AS e
    WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND e.ip_id <> 0
),
failed_ips AS (
    SELECT d.id AS ip_id, d.value AS ip, ip_network(d.value) AS network, g.asn
    FROM (SELECT DISTINCT ip_id FROM failed) AS f
    JOIN dict AS d ON d.id = f.ip_id
    LEFT JOIN ip_geo AS g ON g.ip = d.value
),
by_address AS (
    SELECT r.ts, r.source_id, r.line,
           sum(f.attempts) FILTER (WHERE f.conn IS DISTINCT FROM r.connection OR r.connection IS NULL) AS before,
           min(f.ts) FILTER (WHERE f.conn IS DISTINCT FROM r.connection OR r.connection IS NULL) AS since,
           sum(f.attempts) FILTER (WHERE f.conn = r.connection) AS in_connection
    FROM ranked AS r
    JOIN failed_ips AS i ON i.ip = r.ip
    JOIN failed AS f ON f.ip_id = i.ip_id AND f.ts <= r.ts
    GROUP BY ALL
),
by_network AS (
    SELECT r.ts, r.source_id, r.line, sum(f.attempts) AS before
    FROM ranked AS r
    JOIN failed_ips AS i ON i.network = r.network AND i.ip <> r.ip
    JOIN failed AS f ON f.ip_id = i.ip_id AND f.ts < r.ts
    GROUP BY ALL
),
by_asn AS (
    SELECT r.ts, r.source_id, r.line, sum(f.attempts) AS before
    FROM ranked AS r
    JOIN failed_ips AS i ON i.asn = r.asn AND i.ip <> r.ip
    JOIN failed AS f ON f.ip_id = i.ip_id AND f.ts < r.ts
    GROUP BY ALL
),
by_user AS (
    SELECT r.ts, r.source_id, r.line, sum(f.attempts) AS before
    FROM ranked AS r
    JOIN dict AS u ON u.value = r.username
    JOIN failed AS f ON f.user_id = u.id AND f.ts < r.ts AND f.ts >= r.ts - INTERVAL 7 DAY
    JOIN failed_ips AS i ON i.ip_id = f.ip_id AND i.ip IS DISTINCT FROM r.ip
    WHERE r.method = 'password' OR r.method LIKE 'keyboard-interactive%'
    GROUP BY ALL
),
reasons AS (
    SELECT r.ts, r.host, r.username, r.method, r.ip, r.port, r.country, r.asn, r.connection, r.network,
           r.key_type, r.key_fingerprint,
           coalesce(a.before, 0) AS failed_before,
           a.since AS failed_since,
           coalesce(a.in_connection, 0) AS failed_in_connection,
           coalesce(CASE WHEN coalesce(n.before, 0) > 0 THEN n.before ELSE s.before END, 0) AS network_failed_before,
           CASE WHEN coalesce(n.before, 0) > 0 THEN r.network WHEN coalesce(s.before, 0) > 0 THEN 'AS' || r.asn END AS network_failed_from,
           coalesce(b.before, 0) AS password_while_bruteforced,
           r.user_before > 0 AND r.nth_address = 1 AS first_from_address,
           coalesce(r.user_before > 0 AND r.nth_asn = 1, false) AS first_from_asn,
           coalesce(r.user_before > 0 AND r.nth_country = 1, false) AS first_from_country,
           r.user_before > 0 AND r.nth_hour = 1 AS new_hour,
           coalesce(r.keyed_before > 0 AND r.nth_key = 1, false) AS new_key,
           r.source_id, r.line
    FROM ranked AS r
    LEFT JOIN by_address AS a USING (ts, source_id, line)
    LEFT JOIN by_network AS n USING (ts, source_id, line)
    LEFT JOIN by_asn AS s USING (ts, source_id, line)
    LEFT JOIN by_user AS b USING (ts, source_id, line)
)
SELECT *,
       failed_before > 0 OR network_failed_before > 0 OR password_while_bruteforced > 0
           OR first_from_address OR first_from_asn OR first_from_country OR new_hour OR new_key AS stands_out,
       failed_before > 0 OR network_failed_before > 0 OR password_while_bruteforced > 0 AS alerts
FROM reasons;
