-- knockmap schema 22: logins_since reads the days before its logins from
-- the address rollup.
--
-- Schema 16's running sums ran over every failed attempt ever made by the
-- logins' addresses and by the addresses near them (network, ASN): the
-- whole history whatever from_ts, 1.5 s for the 300 logins of a night
-- over 8 copies of gen-authlog's 1M-line log. A login's sums are the
-- attempts before it; those before `cut` (8 days before the first login's
-- day) are now summed from rollup_address_days (sql/0017_rollups.sql) per
-- address, network and ASN, and only the attempts from cut on are read
-- row by row, so that a night's logins read a week or so of rows. The
-- username's sums are differences over the 7 days before a login, which
-- lie past cut. Every column means what schema 16 said;
-- TestLoginsAsofMatchesJoins checks them against the joins of schema 15,
-- and TestLoginRowsStayComputed the kept rows (sql/0021_login_rows.sql)
-- against them.

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
-- where the sums split: the days before cut.day come from the address
-- rollup, the attempts from cut.ts (its midnight) on row by row; 8 days
-- before the first login's day, so that each login's 7 days before it
-- (the username's window) lie past it
cut AS (
    SELECT utc_day(min(ts)) - 8 AS day, to_timestamp(epoch(utc_day(min(ts)) - 8)) AS ts FROM lg
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
-- the only attempts the running sums read: those from cut on of the
-- logins' addresses, of the addresses near them and of the password
-- logins' usernames
kept AS (
    SELECT e.ts, e.ip_id, e.user_id, e.conn, e.repeat AS attempts
    FROM event_rows AS e
    WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND e.ip_id <> 0
      AND e.ts >= (SELECT ts FROM cut)
      AND (ip_id IN (SELECT ip_id FROM lg UNION SELECT ip_id FROM near LIMIT 1000000000)
           OR user_id IN (SELECT user_id FROM lg WHERE by_password GROUP BY user_id LIMIT 1000000000))
),
-- every attempt of the logins' addresses, for their first attempts and
-- their connections' attempts
at_ip AS (
    SELECT e.ts, e.ip_id, e.conn, e.repeat AS attempts
    FROM event_rows AS e
    WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'failed')
      AND e.ip_id IN (SELECT ip_id FROM lg WHERE ip_id <> 0 GROUP BY ip_id LIMIT 1000000000)
),
at_ip_kept AS (
    SELECT * FROM kept
    WHERE ip_id IN (SELECT ip_id FROM lg)
),
-- (the username's sums are read as differences over the 7 days before a
-- login, which lie past cut: they need no days before it)
at_user AS (
    SELECT * FROM kept
    WHERE user_id IN (SELECT user_id FROM lg WHERE by_password)
),
-- the attempts before cut, from the address rollup: per address, per
-- network and per ASN of the logins
base_ip AS (
    SELECT ip_id, sum(attempts) AS n
    FROM rollup_address_days
    WHERE day < (SELECT day FROM cut) AND ip_id IN (SELECT ip_id FROM lg)
    GROUP BY ip_id
),
near_days AS (
    SELECT n.network, n.asn, r.attempts
    FROM rollup_address_days AS r
    JOIN near AS n ON n.ip_id = r.ip_id
    WHERE r.day < (SELECT day FROM cut)
),
base_net AS (
    SELECT network, sum(attempts) AS n FROM near_days WHERE network IN (SELECT network FROM lg) GROUP BY network
),
base_as AS (
    SELECT asn, sum(attempts) AS n FROM near_days WHERE asn IN (SELECT asn FROM lg) GROUP BY asn
),
-- running sums from cut on: the attempts up to and including each time
-- stamp
by_ip AS (
    SELECT ip_id, ts, sum(sum(attempts)) OVER (PARTITION BY ip_id ORDER BY ts) AS n
    FROM at_ip_kept
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
           coalesce(bi.n, 0) + coalesce(a.n, 0) - coalesce(o.n, 0) AS failed_before,
           CASE WHEN coalesce(bi.n, 0) + coalesce(a.n, 0) - coalesce(o.n, 0) > 0 THEN
               CASE WHEN x.conn IS DISTINCT FROM l.connection OR l.connection IS NULL THEN x.ts ELSE y.ts END
           END AS failed_since,
           coalesce(o.n, 0) AS failed_in_connection,
           CASE WHEN l.network IS NOT NULL
                THEN coalesce(bn.n, 0) + coalesce(nb.n, 0) - coalesce(bi.n, 0) - coalesce(ib.n, 0) ELSE 0 END AS net_n,
           CASE WHEN l.asn IS NOT NULL
                THEN coalesce(ba.n, 0) + coalesce(sb.n, 0) - coalesce(bi.n, 0) - coalesce(ib.n, 0) ELSE 0 END AS asn_n,
           coalesce(ub.n, 0) - coalesce(uw.n, 0) - (coalesce(pb.n, 0) - coalesce(pw.n, 0)) AS user_n
    FROM lg AS l
    LEFT JOIN base_ip AS bi ON bi.ip_id = l.ip_id
    LEFT JOIN base_net AS bn ON bn.network = l.network
    LEFT JOIN base_as AS ba ON ba.asn = l.asn
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
