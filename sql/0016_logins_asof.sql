-- knockmap schema 16: the logins and events views in time proportional
-- to the rows.
--
-- Schema 15's view summed, for each login, every failed attempt of its
-- address, network, ASN and username before it: a join of each login with
-- each earlier attempt, so that its cost grew with logins × attempts. A
-- history of 3.7M attempts with 13,584 logins took minutes and gigabytes.
-- This one reads the same numbers off running sums: for each address,
-- network, ASN and username the attempts up to each time stamp, looked up
-- for a login with an ASOF join (the last sum at or before its time).
-- Every column means what schema 15 said (sql/0013_logins.sql and
-- sql/0015_login_keys.sql); docs/database.md says why, and
-- TestLoginsAsofMatchesJoins checks the two against each other.

-- The events view of schema 15, its connection's address joined on one
-- equality: with the conditions beside it, DuckDB joined the rows left
-- after a selective filter (the 13,584 logins of 7.9M rows) with a nested
-- loop over conn_addr, 24 s of CPU.
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
LEFT JOIN conn_addr AS c ON c.conn = CASE WHEN e.ip_id = 0 AND e.conn <> 0 THEN e.conn END
LEFT JOIN dict AS ca ON ca.id = c.ip_id
LEFT JOIN dict AS r ON r.id = e.rhost_id
LEFT JOIN dict AS pk ON pk.id = e.pubkey_id;

-- logins_since(t) is the view's rows from t on, each computed from the
-- whole history but only those: `knockmap run` asks for the logins it
-- loaded, `knockmap logins` and the report for those of a period.
-- The sums read only the attempts of the logins' addresses, of the
-- addresses near them (network, ASN) and of the password logins'
-- usernames, picked once each against key lists whose LIMIT (never
-- reached) keeps DuckDB from building its hash tables on the attempts:
-- it estimates a week's 34 logins of 7.9M rows at 1.7M, and with five
-- hash tables on the 3M attempts `knockmap logins` took 1.2 GB.
CREATE OR REPLACE MACRO logins_since(from_ts) AS TABLE
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
-- each login once, with the ids and networks the sums are kept by
lg AS (
    SELECT r.ts, r.source_id, r.line, r.connection, r.network, r.asn, r.ip,
           i.id AS ip_id, u.id AS user_id,
           r.method = 'password' OR r.method LIKE 'keyboard-interactive%' AS by_password
    FROM ranked AS r
    LEFT JOIN dict AS i ON i.value = r.ip
    LEFT JOIN dict AS u ON u.value = r.username
    WHERE r.ts >= from_ts
),
-- the failed attempts' addresses in the logins' networks and ASNs
near AS (
    SELECT d.id AS ip_id, ip_network(d.value) AS network, g.asn
    FROM (SELECT DISTINCT ip_id FROM event_rows
          WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND ip_id <> 0) AS f
    JOIN dict AS d ON d.id = f.ip_id
    LEFT JOIN ip_geo AS g ON g.ip = d.value
    WHERE ip_network(d.value) IN (SELECT network FROM lg) OR g.asn IN (SELECT asn FROM lg)
),
-- the only attempts any sum reads: those of the logins' addresses, of
-- the addresses near them and of the password logins' usernames
kept AS (
    SELECT e.ts, e.ip_id, e.user_id, e.conn, e.repeat AS attempts
    FROM event_rows AS e
    WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND e.ip_id <> 0
      AND (ip_id IN (SELECT ip_id FROM lg UNION SELECT ip_id FROM near LIMIT 1000000000)
           OR user_id IN (SELECT user_id FROM lg WHERE by_password GROUP BY user_id LIMIT 1000000000))
),
at_ip AS (
    SELECT * FROM kept
    WHERE ip_id IN (SELECT ip_id FROM lg)
),
at_user AS (
    SELECT * FROM kept
    WHERE user_id IN (SELECT user_id FROM lg WHERE by_password)
),
-- running sums: the attempts up to and including each time stamp
by_ip AS (
    SELECT ip_id, ts, sum(sum(attempts)) OVER (PARTITION BY ip_id ORDER BY ts) AS n
    FROM at_ip
    GROUP BY ip_id, ts
),
by_net AS (
    SELECT n.network, f.ts, sum(sum(f.attempts)) OVER (PARTITION BY n.network ORDER BY f.ts) AS n
    FROM kept AS f
    JOIN near AS n ON n.ip_id = f.ip_id
    WHERE n.network IN (SELECT network FROM lg)
    GROUP BY n.network, f.ts
),
by_as AS (
    SELECT n.asn, f.ts, sum(sum(f.attempts)) OVER (PARTITION BY n.asn ORDER BY f.ts) AS n
    FROM kept AS f
    JOIN near AS n ON n.ip_id = f.ip_id
    WHERE n.asn IN (SELECT asn FROM lg)
    GROUP BY n.asn, f.ts
),
by_user AS (
    SELECT user_id, ts, sum(sum(attempts)) OVER (PARTITION BY user_id ORDER BY ts) AS n
    FROM at_user
    GROUP BY user_id, ts
),
by_user_ip AS (
    SELECT user_id, ip_id, ts, sum(sum(attempts)) OVER (PARTITION BY user_id, ip_id ORDER BY ts) AS n
    FROM at_user
    SEMI JOIN (SELECT user_id, ip_id FROM lg WHERE by_password) AS p USING (user_id, ip_id)
    GROUP BY user_id, ip_id, ts
),
-- an address's first failed attempt, its connection, and its first
-- attempt in any other connection (for failed_since)
first_ip AS (
    SELECT ip_id, min(ts) AS ts, arg_min(conn, ts) AS conn
    FROM at_ip
    GROUP BY ip_id
),
first_other AS (
    SELECT f.ip_id, min(f.ts) AS ts
    FROM at_ip AS f
    JOIN first_ip AS x ON x.ip_id = f.ip_id AND f.conn <> x.conn
    GROUP BY f.ip_id
),
-- the login's own connection's attempts up to it
own AS (
    SELECT l.ts, l.source_id, l.line, sum(f.attempts) AS n
    FROM lg AS l
    JOIN at_ip AS f ON f.conn = l.connection AND f.ip_id = l.ip_id AND f.ts <= l.ts
    GROUP BY ALL
),
-- each sum read at the login's time: ip_at up to and including it, the
-- others strictly before it (and 7 days before it for the username)
ip_at AS (
    SELECT l.ts, l.source_id, l.line, c.n
    FROM lg AS l ASOF JOIN by_ip AS c ON c.ip_id = l.ip_id AND c.ts <= l.ts
),
ip_before AS (
    SELECT l.ts, l.source_id, l.line, c.n
    FROM lg AS l ASOF JOIN by_ip AS c ON c.ip_id = l.ip_id AND c.ts < l.ts
),
net_before AS (
    SELECT l.ts, l.source_id, l.line, c.n
    FROM lg AS l ASOF JOIN by_net AS c ON c.network = l.network AND c.ts < l.ts
),
as_before AS (
    SELECT l.ts, l.source_id, l.line, c.n
    FROM lg AS l ASOF JOIN by_as AS c ON c.asn = l.asn AND c.ts < l.ts
),
user_before AS (
    SELECT l.ts, l.source_id, l.line, c.n
    FROM lg AS l ASOF JOIN by_user AS c ON c.user_id = l.user_id AND c.ts < l.ts
    WHERE l.by_password
),
user_week AS (
    SELECT l.ts, l.source_id, l.line, c.n
    FROM lg AS l ASOF JOIN by_user AS c ON c.user_id = l.user_id AND c.ts < l.ts - INTERVAL 7 DAY
    WHERE l.by_password
),
pair_before AS (
    SELECT l.ts, l.source_id, l.line, c.n
    FROM lg AS l ASOF JOIN by_user_ip AS c ON c.user_id = l.user_id AND c.ip_id = l.ip_id AND c.ts < l.ts
    WHERE l.by_password
),
pair_week AS (
    SELECT l.ts, l.source_id, l.line, c.n
    FROM lg AS l ASOF JOIN by_user_ip AS c ON c.user_id = l.user_id AND c.ip_id = l.ip_id AND c.ts < l.ts - INTERVAL 7 DAY
    WHERE l.by_password
),
sums AS (
    SELECT l.ts, l.source_id, l.line,
           coalesce(a.n, 0) - coalesce(o.n, 0) AS failed_before,
           CASE WHEN coalesce(a.n, 0) - coalesce(o.n, 0) > 0 THEN
               CASE WHEN x.conn IS DISTINCT FROM l.connection OR l.connection IS NULL THEN x.ts ELSE y.ts END
           END AS failed_since,
           coalesce(o.n, 0) AS failed_in_connection,
           CASE WHEN l.network IS NOT NULL THEN coalesce(nb.n, 0) - coalesce(ib.n, 0) ELSE 0 END AS net_n,
           CASE WHEN l.asn IS NOT NULL THEN coalesce(sb.n, 0) - coalesce(ib.n, 0) ELSE 0 END AS asn_n,
           coalesce(ub.n, 0) - coalesce(uw.n, 0) - (coalesce(pb.n, 0) - coalesce(pw.n, 0)) AS user_n
    FROM lg AS l
    LEFT JOIN ip_at AS a USING (ts, source_id, line)
    LEFT JOIN own AS o USING (ts, source_id, line)
    LEFT JOIN first_ip AS x ON x.ip_id = l.ip_id
    LEFT JOIN first_other AS y ON y.ip_id = l.ip_id
    LEFT JOIN ip_before AS ib USING (ts, source_id, line)
    LEFT JOIN net_before AS nb USING (ts, source_id, line)
    LEFT JOIN as_before AS sb USING (ts, source_id, line)
    LEFT JOIN user_before AS ub USING (ts, source_id, line)
    LEFT JOIN user_week AS uw USING (ts, source_id, line)
    LEFT JOIN pair_before AS pb USING (ts, source_id, line)
    LEFT JOIN pair_week AS pw USING (ts, source_id, line)
),
reasons AS (
    SELECT r.ts, r.host, r.username, r.method, r.ip, r.port, r.country, r.asn, r.connection, r.network,
           r.key_type, r.key_fingerprint,
           CAST(s.failed_before AS HUGEINT) AS failed_before,
           s.failed_since,
           CAST(s.failed_in_connection AS HUGEINT) AS failed_in_connection,
           CAST(CASE WHEN s.net_n > 0 THEN s.net_n ELSE s.asn_n END AS HUGEINT) AS network_failed_before,
           CASE WHEN s.net_n > 0 THEN r.network WHEN s.asn_n > 0 THEN 'AS' || r.asn END AS network_failed_from,
           CAST(s.user_n AS HUGEINT) AS password_while_bruteforced,
           r.user_before > 0 AND r.nth_address = 1 AS first_from_address,
           coalesce(r.user_before > 0 AND r.nth_asn = 1, false) AS first_from_asn,
           coalesce(r.user_before > 0 AND r.nth_country = 1, false) AS first_from_country,
           r.user_before > 0 AND r.nth_hour = 1 AS new_hour,
           coalesce(r.keyed_before > 0 AND r.nth_key = 1, false) AS new_key,
           r.source_id, r.line
    FROM ranked AS r
    JOIN sums AS s USING (ts, source_id, line)
)
SELECT *,
       failed_before > 0 OR network_failed_before > 0 OR password_while_bruteforced > 0
           OR first_from_address OR first_from_asn OR first_from_country OR new_hour OR new_key AS stands_out,
       failed_before > 0 OR network_failed_before > 0 OR password_while_bruteforced > 0 AS alerts
FROM reasons;

CREATE OR REPLACE VIEW logins AS
SELECT * FROM logins_since(CAST('-infinity' AS TIMESTAMPTZ));
