-- Successful logins that stand out, with the reasons (the logins view), of
-- the last days counted back from the newest line in the database.
-- param: days = 7
SELECT ts, host, username, method, key_type, key_fingerprint, ip, country, asn,
       failed_before, failed_since, network_failed_before, network_failed_from,
       password_while_bruteforced, first_from_address, first_from_asn,
       first_from_country, new_hour, new_key, alerts
FROM logins
WHERE stands_out AND ts >= (SELECT max(ts) FROM event_rows) - to_days(CAST($days AS INTEGER))
ORDER BY ts
