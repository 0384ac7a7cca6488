-- The addresses that failed to log in since $since, with their attempts,
-- first and last attempt and ASN, for pipeline/blocklist, which leaves
-- out the addresses that are never listed.
SELECT f.ip,
       CAST(sum(f.attempts) AS BIGINT) AS attempts,
       min(f.ts)                       AS first_seen,
       max(f.ts)                       AS last_seen,
       coalesce(any_value(g.asn), 0)   AS asn
FROM failed_login_lines AS f
LEFT JOIN ip_geo AS g ON g.ip = f.ip
WHERE f.ip IS NOT NULL AND f.ts >= $since
GROUP BY f.ip
ORDER BY f.ip;
