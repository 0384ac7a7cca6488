-- knockmap schema 13: every successful login, and why it stands out.
--
-- One row per "Accepted M for U from A port P" line. Each reason a login
-- may be someone else's is a column of its own:
--   failed_before          failed attempts (repeats counted) from the same
--                          address before the login, in other connections
--                          than the login's own; failed_since the first
--   failed_in_connection   failed attempts of the login's own connection
--                          before it (a typo, most often): shown, no reason
--   network_failed_before  failed attempts before the login from other
--                          addresses of its network: network_failed_from
--                          says which, its /24 (IPv4) or /48 (IPv6) when
--                          those failed, else its ASN ("AS64500")
--   password_while_bruteforced
--                          for a password or keyboard-interactive login:
--                          failed attempts on the same username from other
--                          addresses in the 7 days before
--   first_from_address, first_from_asn, first_from_country
--                          the user logged in before, never from there
--   new_hour               the user logged in before, never at this hour
--                          of the day (UTC)
-- stands_out is any of them. sshd's key type and fingerprint are not kept
-- by the parser, so key_type and key_fingerprint are NULL.

-- The network of an address: a.b.c.0/24, or the first three groups of an
-- IPv6 address as x:y:z::/48; NULL for anything else (a host name).
CREATE OR REPLACE MACRO ip_network(ip) AS CASE
    WHEN regexp_full_match(ip, '[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}')
        THEN regexp_replace(ip, '\.[0-9]+$', '') || '.0/24'
    WHEN contains(ip, ':') AND regexp_full_match(ip, '[0-9A-Fa-f:.]+') THEN (
        SELECT array_to_string(list_transform(list_slice(list_concat(hd, list_transform(range(greatest(8 - len(hd) - len(tl), 0)), z -> '0'), tl), 1, 3),
                                              g -> coalesce(nullif(ltrim(lower(g), '0'), ''), '0')), ':') || '::/48'
        FROM (SELECT list_filter(string_split(CASE WHEN contains(ip, '::') THEN split_part(ip, '::', 1) ELSE ip END, ':'), x -> x <> '') AS hd,
                     list_filter(string_split(CASE WHEN contains(ip, '::') THEN split_part(ip, '::', 2) ELSE '' END, ':'), x -> x <> '') AS tl))
    END;

CREATE OR REPLACE VIEW logins AS
WITH acc AS (
    SELECT e.ts, e.host, e.username, e.method, e.ip, e.port, e.connection, e.source_id, e.line,
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
           row_number() OVER (PARTITION BY username, hour ORDER BY ts, source_id, line) AS nth_hour
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
           CAST(NULL AS VARCHAR) AS key_type,
           CAST(NULL AS VARCHAR) AS key_fingerprint,
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
           r.source_id, r.line
    FROM ranked AS r
    LEFT JOIN by_address AS a USING (ts, source_id, line)
    LEFT JOIN by_network AS n USING (ts, source_id, line)
    LEFT JOIN by_asn AS s USING (ts, source_id, line)
    LEFT JOIN by_user AS b USING (ts, source_id, line)
)
SELECT *,
       failed_before > 0 OR network_failed_before > 0 OR password_while_bruteforced > 0
           OR first_from_address OR first_from_asn OR first_from_country OR new_hour AS stands_out
FROM reasons;
