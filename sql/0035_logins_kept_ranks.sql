-- knockmap schema 35: logins_kept_since ranks only the logins it computes.
--
-- The macro is schema 33's (sql/0033_address_firsts.sql) with two parts
-- changed. The kept logins (login_rows before kept_before) are summed per
-- username and per username and address, ASN, country, hour and key
-- (kept_users, kept_seen) instead of being sorted with the computed ones
-- in each of six windows; every caller asks for logins from a time no
-- earlier than kept_before (pipeline/logins' Refresh and the logins view
-- give the same time for both, logins_since -infinity for the second),
-- so every login it returns is a computed one, after all the kept ones.
-- And near takes the addresses with failed attempts from
-- rollup_address_users (sql/0027_address_user_rollup.sql), which holds
-- the same addresses as rollup_address_days in an eighth of the rows.
-- Every column is as schema 33 computed it (TestLoginsAsofMatchesJoins,
-- TestLoginRowsStayComputed, TestKeptLoginsRankComputedOnes).
CREATE OR REPLACE MACRO logins_kept_since(from_ts, kept_before) AS TABLE
-- the successful logins, each as the events view gives it (its address,
-- where the line names none, its connection's), with the connections'
-- addresses read for those logins only
WITH acc_rows AS (
    -- 'accepted' by its id (sql/0010_kinds_families.sql), a constant that
    -- DuckDB tests in the scan, before it reads the other columns
    SELECT * FROM event_rows WHERE kind_id = 25 AND ts >= kept_before
),
acc_conns AS (
    SELECT c.conn, d.value AS ip
    FROM conn_addr AS c
    JOIN dict AS d ON d.id = c.ip_id
    WHERE c.conn IN (SELECT conn FROM acc_rows WHERE ip_id = 0 AND conn <> 0)
),
acc_read AS (
    SELECT e.ts, h.value AS host, u.value AS username, m.value AS method,
           coalesce(a.value, ca.ip) AS ip, nullif(e.port, 0) AS port, nullif(e.conn, 0) AS connection,
           e.source_id, e.line,
           nullif(split_part(pk.value, ' ', 1), '') AS key_type,
           nullif(split_part(pk.value, ' ', 2), '') AS key_fingerprint,
           utc_hour(e.ts) AS hour, ip_network(coalesce(a.value, ca.ip)) AS network, g.country, g.asn
    FROM acc_rows AS e
    LEFT JOIN dict AS h ON h.id = e.host_id
    LEFT JOIN dict AS m ON m.id = e.method_id
    LEFT JOIN dict AS u ON u.id = e.user_id
    LEFT JOIN dict AS a ON a.id = e.ip_id
    LEFT JOIN acc_conns AS ca ON ca.conn = CASE WHEN e.ip_id = 0 AND e.conn <> 0 THEN e.conn END
    LEFT JOIN dict AS pk ON pk.id = e.pubkey_id
    LEFT JOIN ip_geo AS g ON g.ip = coalesce(a.value, ca.ip)
),
-- What the kept logins before kept_before say of each username, all of
-- them earlier than every login computed here: how many there are and how
-- many name a key, and each address, ASN, country, hour and key it was
-- seen with. Schema 33 ranked the kept logins with those it computed in
-- six windows: over 8 copies of gen-authlog's 1M-line log, 13.7k logins
-- sorted six times for the 300 of a night, 0.15 s of its CPU. Each
-- count and rank of a computed login is now the same window over the
-- computed ones alone, plus what the kept ones add to it: their count, or
-- one when its partition was seen (a rank of 1 is all that is asked).
kept_logins AS (
    SELECT username, ip, CAST(asn AS VARCHAR) AS asn, country, CAST(utc_hour(ts) AS VARCHAR) AS hour, key_fingerprint
    FROM login_rows
    WHERE ts < kept_before
),
kept_users AS (
    SELECT username, count(*) AS n, count(key_fingerprint) AS keyed FROM kept_logins GROUP BY username
),
kept_seen AS (
    SELECT DISTINCT 'ip' AS what, username, ip AS value FROM kept_logins
    UNION ALL
    SELECT DISTINCT 'asn', username, asn FROM kept_logins WHERE asn IS NOT NULL
    UNION ALL
    SELECT DISTINCT 'country', username, country FROM kept_logins WHERE country IS NOT NULL
    UNION ALL
    SELECT DISTINCT 'hour', username, hour FROM kept_logins
    UNION ALL
    SELECT DISTINCT 'key', username, key_fingerprint FROM kept_logins WHERE key_fingerprint IS NOT NULL
),
acc AS (
    SELECT a.*,
           coalesce(u.n, 0) AS kept_n, coalesce(u.keyed, 0) AS kept_keyed,
           CASE WHEN si.what IS NULL THEN 0 ELSE 1 END AS kept_ip,
           CASE WHEN sa.what IS NULL THEN 0 ELSE 1 END AS kept_asn,
           CASE WHEN sc.what IS NULL THEN 0 ELSE 1 END AS kept_country,
           CASE WHEN sh.what IS NULL THEN 0 ELSE 1 END AS kept_hour,
           CASE WHEN sk.what IS NULL THEN 0 ELSE 1 END AS kept_key
    FROM acc_read AS a
    LEFT JOIN kept_users AS u ON u.username IS NOT DISTINCT FROM a.username
    LEFT JOIN kept_seen AS si ON si.what = 'ip' AND si.username IS NOT DISTINCT FROM a.username
         AND si.value IS NOT DISTINCT FROM a.ip
    LEFT JOIN kept_seen AS sa ON sa.what = 'asn' AND sa.username IS NOT DISTINCT FROM a.username
         AND sa.value = CAST(a.asn AS VARCHAR)
    LEFT JOIN kept_seen AS sc ON sc.what = 'country' AND sc.username IS NOT DISTINCT FROM a.username
         AND sc.value = a.country
    LEFT JOIN kept_seen AS sh ON sh.what = 'hour' AND sh.username IS NOT DISTINCT FROM a.username
         AND sh.value = CAST(a.hour AS VARCHAR)
    LEFT JOIN kept_seen AS sk ON sk.what = 'key' AND sk.username IS NOT DISTINCT FROM a.username
         AND sk.value = a.key_fingerprint
),
ranked AS (
    SELECT *,
           kept_n + count(*) OVER (PARTITION BY username ORDER BY ts, source_id, line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS user_before,
           kept_ip + row_number() OVER (PARTITION BY username, ip ORDER BY ts, source_id, line) AS nth_address,
           CASE WHEN asn IS NOT NULL THEN kept_asn + row_number() OVER (PARTITION BY username, asn ORDER BY ts, source_id, line) END AS nth_asn,
           CASE WHEN country IS NOT NULL THEN kept_country + row_number() OVER (PARTITION BY username, country ORDER BY ts, source_id, line) END AS nth_country,
           kept_hour + row_number() OVER (PARTITION BY username, hour ORDER BY ts, source_id, line) AS nth_hour,
           kept_keyed + count(key_fingerprint) OVER (PARTITION BY username ORDER BY ts, source_id, line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS keyed_before,
           CASE WHEN key_fingerprint IS NOT NULL THEN kept_key + row_number() OVER (PARTITION BY username, key_fingerprint ORDER BY ts, source_id, line) END AS nth_key
    FROM acc
),
-- each login once, with the ids and networks the sums are kept by, its
-- UTC day and the day 7 days before it
lg AS (
    SELECT r.ts, r.source_id, r.line, r.connection, r.network, r.asn, r.ip,
           i.id AS ip_id, u.id AS user_id,
           r.method = 'password' OR r.method LIKE 'keyboard-interactive%' AS by_password,
           utc_day(r.ts) AS day, utc_day(r.ts - INTERVAL 7 DAY) AS week_day
    FROM ranked AS r
    LEFT JOIN dict AS i ON i.value = r.ip
    LEFT JOIN dict AS u ON u.value = r.username
    WHERE r.ts >= from_ts
),
-- the midnight from which attempts are read row by row: that of the
-- earliest day some login's sums read a part of
since AS (
    SELECT to_timestamp(epoch(min(week_day))) AS ts FROM lg
),
-- the failed attempts' addresses in the logins' networks and ASNs (each
-- address once from the sums per address and username, which hold the
-- same addresses as those per address and day in an eighth of the rows)
near AS (
    SELECT d.id AS ip_id, ip_network(d.value) AS network, g.asn
    FROM (SELECT DISTINCT ip_id FROM rollup_address_users WHERE ip_id <> 0 AND attempts > 0) AS f
    JOIN dict AS d ON d.id = f.ip_id
    LEFT JOIN ip_geo AS g ON g.ip = d.value
    WHERE ip_network(d.value) IN (SELECT network FROM lg) OR g.asn IN (SELECT asn FROM lg)
),
-- Each sum of attempts before a login is the days before the login's day,
-- from the address rollup (per address, or its days summed per network
-- and ASN), plus that day's attempts before it, row by row. Each joins
-- the logins with what they are summed over on a key and a day and ends
-- in one sum per login: no running sums, no window over the attempts.
net_days AS (
    SELECT n.network, r.day, sum(r.attempts) AS attempts
    FROM rollup_address_days AS r
    JOIN near AS n ON n.ip_id = r.ip_id
    WHERE n.network IN (SELECT network FROM lg)
    GROUP BY n.network, r.day
),
as_days AS (
    SELECT n.asn, r.day, sum(r.attempts) AS attempts
    FROM rollup_address_days AS r
    JOIN near AS n ON n.ip_id = r.ip_id
    WHERE n.asn IN (SELECT asn FROM lg)
    GROUP BY n.asn, r.day
),
ip_early AS (
    SELECT l.ts, l.source_id, l.line, sum(r.attempts) AS n
    FROM rollup_address_days AS r
    JOIN lg AS l ON r.ip_id = l.ip_id AND r.day < l.day
    GROUP BY l.ts, l.source_id, l.line
),
net_early AS (
    SELECT l.ts, l.source_id, l.line, sum(d.attempts) AS n
    FROM net_days AS d
    JOIN lg AS l ON d.network = l.network AND d.day < l.day
    GROUP BY l.ts, l.source_id, l.line
),
as_early AS (
    SELECT l.ts, l.source_id, l.line, sum(d.attempts) AS n
    FROM as_days AS d
    JOIN lg AS l ON d.asn = l.asn AND d.day < l.day
    GROUP BY l.ts, l.source_id, l.line
),
-- the login's day: up to and including its time (upto), and strictly
-- before it (prior)
ip_today AS (
    SELECT l.ts, l.source_id, l.line,
           sum(f.attempts) AS upto,
           coalesce(sum(f.attempts) FILTER (WHERE f.ts < l.ts), 0) AS prior
    FROM logins_failed_since((SELECT ts FROM since)) AS f
    JOIN lg AS l ON f.ip_id = l.ip_id AND f.day = l.day AND f.ts <= l.ts
    GROUP BY l.ts, l.source_id, l.line
),
net_today AS (
    SELECT l.ts, l.source_id, l.line, sum(f.attempts) AS n
    FROM logins_failed_since((SELECT ts FROM since)) AS f
    JOIN near AS n ON n.ip_id = f.ip_id
    JOIN lg AS l ON n.network = l.network AND f.day = l.day AND f.ts < l.ts
    GROUP BY l.ts, l.source_id, l.line
),
as_today AS (
    SELECT l.ts, l.source_id, l.line, sum(f.attempts) AS n
    FROM logins_failed_since((SELECT ts FROM since)) AS f
    JOIN near AS n ON n.ip_id = f.ip_id
    JOIN lg AS l ON n.asn = l.asn AND f.day = l.day AND f.ts < l.ts
    GROUP BY l.ts, l.source_id, l.line
),
-- a password login's username in the 7 days before it: the whole days
-- between, per username and day, and the two days at the ends row by row
user_days AS (
    SELECT user_id, day, sum(attempts) AS attempts
    FROM logins_failed_since((SELECT ts FROM since))
    WHERE user_id IN (SELECT user_id FROM lg WHERE by_password GROUP BY user_id LIMIT 1000000000)
    GROUP BY user_id, day
),
user_mid AS (
    SELECT l.ts, l.source_id, l.line, sum(d.attempts) AS n
    FROM user_days AS d
    JOIN lg AS l ON d.user_id = l.user_id AND d.day > l.week_day AND d.day < l.day
    WHERE l.by_password
    GROUP BY l.ts, l.source_id, l.line
),
user_ends AS (
    SELECT l.ts, l.source_id, l.line, sum(f.attempts) AS n
    FROM logins_failed_since((SELECT ts FROM since)) AS f
    JOIN lg AS l ON f.user_id = l.user_id
         AND ((f.day = l.day AND f.ts < l.ts) OR (f.day = l.week_day AND f.ts >= l.ts - INTERVAL 7 DAY))
    WHERE l.by_password
    GROUP BY l.ts, l.source_id, l.line
),
-- and the login's own address's part of them
pair_week AS (
    SELECT l.ts, l.source_id, l.line, sum(f.attempts) AS n
    FROM logins_failed_since((SELECT ts FROM since)) AS f
    JOIN lg AS l ON f.user_id = l.user_id AND f.ip_id = l.ip_id
         AND f.ts >= l.ts - INTERVAL 7 DAY AND f.ts < l.ts
    WHERE l.by_password
    GROUP BY l.ts, l.source_id, l.line
),
-- an address's first failed attempt and its connection, and its first
-- attempt in any other connection (for failed_since): the first attempt
-- of each connection, of which the earliest is the address's first and
-- the second earliest the first of another connection (a tie of two
-- gives both the same time, whichever is taken as the first). Each
-- address's are kept (address_firsts, schema 33) as of the lines each
-- source had then; the connections of the lines read since are taken
-- with them, the kept other first as a connection of its own (NULL),
-- which is right whichever connection it was: it is never earlier than
-- the kept first.
firsts_conns AS (
    SELECT e.ip_id, e.conn, min(e.ts) AS ts
    FROM event_rows AS e
    JOIN address_firsts_since() AS g ON g.id = e.source_id AND e.line > g.since
    WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'failed')
      AND e.line > coalesce(getvariable('knockmap_firsts_since'), 0)
      AND e.ip_id IN (SELECT ip_id FROM lg WHERE ip_id <> 0 GROUP BY ip_id LIMIT 1000000000)
    GROUP BY e.ip_id, e.conn
    UNION ALL
    SELECT k.ip_id, k.conn, k.ts FROM address_firsts_kept() AS k
    WHERE k.ip_id IN (SELECT ip_id FROM lg WHERE ip_id <> 0 GROUP BY ip_id LIMIT 1000000000)
    UNION ALL
    SELECT k.ip_id, NULL, k.other_ts FROM address_firsts_kept() AS k
    WHERE k.other_ts IS NOT NULL
      AND k.ip_id IN (SELECT ip_id FROM lg WHERE ip_id <> 0 GROUP BY ip_id LIMIT 1000000000)
),
firsts AS (
    SELECT ip_id, min(ts) AS ts, arg_min(conn, ts) AS conn, min(ts, 2)[2] AS other_ts
    FROM (SELECT ip_id, conn, min(ts) AS ts FROM firsts_conns GROUP BY ip_id, conn)
    GROUP BY ip_id
),
-- the login's own connection's attempts up to it: the rows of the
-- logins' connections only, which lie where the logins are (connections
-- are numbered in the order they are read), so DuckDB skips the rest of
-- the table by its row groups' bounds
own AS (
    SELECT l.ts, l.source_id, l.line, sum(f.repeat) AS n
    FROM event_rows AS f
    JOIN lg AS l ON f.conn = l.connection AND f.ip_id = l.ip_id AND f.ts <= l.ts
    WHERE f.kind_id = (SELECT id FROM kinds WHERE name = 'failed')
      AND f.conn IN (SELECT connection FROM lg WHERE connection IS NOT NULL GROUP BY connection LIMIT 1000000000)
    GROUP BY l.ts, l.source_id, l.line
),
sums AS (
    SELECT l.ts, l.source_id, l.line,
           coalesce(ie.n, 0) + coalesce(it.upto, 0) - coalesce(o.n, 0) AS failed_before,
           CASE WHEN coalesce(ie.n, 0) + coalesce(it.upto, 0) - coalesce(o.n, 0) > 0 THEN
               CASE WHEN x.conn IS DISTINCT FROM l.connection OR l.connection IS NULL THEN x.ts ELSE x.other_ts END
           END AS failed_since,
           coalesce(o.n, 0) AS failed_in_connection,
           CASE WHEN l.network IS NOT NULL
                THEN coalesce(ne.n, 0) + coalesce(nt.n, 0) - coalesce(ie.n, 0) - coalesce(it.prior, 0) ELSE 0 END AS net_n,
           CASE WHEN l.asn IS NOT NULL
                THEN coalesce(ae.n, 0) + coalesce(st.n, 0) - coalesce(ie.n, 0) - coalesce(it.prior, 0) ELSE 0 END AS asn_n,
           coalesce(um.n, 0) + coalesce(ue.n, 0) - coalesce(pw.n, 0) AS user_n
    FROM lg AS l
    LEFT JOIN ip_early AS ie USING (ts, source_id, line)
    LEFT JOIN ip_today AS it USING (ts, source_id, line)
    LEFT JOIN net_early AS ne USING (ts, source_id, line)
    LEFT JOIN net_today AS nt USING (ts, source_id, line)
    LEFT JOIN as_early AS ae USING (ts, source_id, line)
    LEFT JOIN as_today AS st USING (ts, source_id, line)
    LEFT JOIN user_mid AS um USING (ts, source_id, line)
    LEFT JOIN user_ends AS ue USING (ts, source_id, line)
    LEFT JOIN pair_week AS pw USING (ts, source_id, line)
    LEFT JOIN own AS o USING (ts, source_id, line)
    LEFT JOIN firsts AS x ON x.ip_id = l.ip_id
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
