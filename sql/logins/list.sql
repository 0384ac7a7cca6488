-- The logins from $since on, only those that stand out unless $all,
-- oldest first (pipeline/logins). logins_since is the logins view from
-- $since on, computed for those logins only (sql/0016_logins_asof.sql).
SELECT ts, host, username, method, ip, port, country, asn, connection, key_type, key_fingerprint,
       failed_before, failed_since, failed_in_connection,
       network_failed_before, network_failed_from, password_while_bruteforced,
       first_from_address, first_from_asn, first_from_country, new_hour, new_key,
       stands_out, alerts, source_id, line
FROM logins_since(CAST($since AS TIMESTAMPTZ))
WHERE stands_out OR $all
ORDER BY ts, source_id, line
