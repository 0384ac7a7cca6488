-- knockmap schema 33: each address's first failed attempts, kept.
--
-- logins_kept_since (sql/0028_logins_without_cte_hints.sql) took the
-- first failed attempt of each login's address, and its first in another
-- connection (failed_since), from every failed attempt of those
-- addresses: over 8 copies of gen-authlog's 1M-line log, for the 300
-- logins of a night, 592k rows grouped into 278k connections, 0.15 s of
-- its 0.26. An address's firsts only change with rows added (at a
-- source's end) or dropped (with the whole source), so address_firsts
-- keeps them, with the lines each source had then
-- (address_firsts_sources), and logins_kept_since takes them with the
-- first attempt of each connection of the lines read since. Every first
-- comes from the rows when nothing is recorded, or a recorded source is
-- gone or has fewer lines (address_firsts_kept() is then empty and
-- address_firsts_since() reads every line). pipeline/logins' Refresh
-- brings them up to date (sql/logins/firsts_refresh.sql) before it
-- computes the logins. The macro is schema 28's with only its firsts
-- changed; every column is as it computed (TestLoginsAsofMatchesJoins,
-- TestLoginRowsStayComputed, TestAddressFirstsKeptEqualRows).
CREATE TABLE IF NOT EXISTS address_firsts (
    ip_id         UINTEGER NOT NULL,
    ts            TIMESTAMPTZ NOT NULL,
    conn          UINTEGER,              -- NULL: taken on a tie with the other first
    other_ts      TIMESTAMPTZ            -- NULL: no other connection
);

CREATE TABLE IF NOT EXISTS address_firsts_sources (
    source_id     INTEGER NOT NULL,
    lines         BIGINT  NOT NULL
);

-- whether the kept firsts are to be read again from every line (a table
-- macro of one row: a scalar one that reads tables would be made in a
-- fleet's database too, pipeline/report's schemaMacros, which has none)
CREATE OR REPLACE MACRO address_firsts_anew() AS TABLE
SELECT NOT EXISTS (SELECT 1 FROM address_firsts_sources)
       OR EXISTS (SELECT 1 FROM address_firsts_sources AS f LEFT JOIN sources AS s ON s.id = f.source_id
                  WHERE s.id IS NULL OR s.lines < f.lines) AS anew;

-- the kept firsts, none when they are to be read again
CREATE OR REPLACE MACRO address_firsts_kept() AS TABLE
SELECT * FROM address_firsts WHERE NOT (SELECT anew FROM address_firsts_anew());

-- each source with lines the kept firsts do not hold, and the lines after
-- which they are (0: all of them)
CREATE OR REPLACE MACRO address_firsts_since() AS TABLE
SELECT s.id, CASE WHEN (SELECT anew FROM address_firsts_anew()) THEN 0 ELSE coalesce(f.lines, 0) END AS since
FROM sources AS s
LEFT JOIN address_firsts_sources AS f ON f.source_id = s.id
WHERE (SELECT anew FROM address_firsts_anew()) OR f.lines IS NULL OR s.lines > f.lines;

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
acc AS (
    SELECT * FROM acc_read
    UNION ALL BY NAME
    SELECT ts, host, username, method, ip, port, connection, source_id, line, key_type, key_fingerprint,
           utc_hour(ts) AS hour, network, country, asn
    FROM login_rows
    WHERE ts < kept_before
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
-- the failed attempts' addresses in the logins' networks and ASNs
near AS (
    SELECT d.id AS ip_id, ip_network(d.value) AS network, g.asn
    FROM (SELECT DISTINCT ip_id FROM rollup_address_days WHERE ip_id <> 0 AND attempts > 0) AS f
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
