-- The successful logins of the period that stand out (the logins view):
-- those that alert (failed attempts behind them) first, the most first;
-- then the others, which stand out only by a first time, newest first.
SELECT ts AS "when", username AS "user", ip AS address, country, method,
       failed_before AS "failed before",
       network_failed_before AS "network failed",
       password_while_bruteforced AS "user bruteforced",
       concat_ws(', ',
           CASE WHEN first_from_address THEN 'new address' END,
           CASE WHEN first_from_asn THEN 'new ASN' END,
           CASE WHEN first_from_country THEN 'new country' END,
           CASE WHEN new_hour THEN 'new hour' END,
           CASE WHEN new_key THEN 'new key' END) AS "first time"
FROM logins_since(CAST($1 AS TIMESTAMPTZ))
WHERE stands_out AND ts < CAST($2 AS TIMESTAMPTZ)
ORDER BY alerts DESC, failed_before + network_failed_before + password_while_bruteforced DESC, ts DESC
LIMIT 20
