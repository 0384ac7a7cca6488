-- Addresses first seen in the last hours (counted back from the newest
-- attempt in the database), with where they are.
-- param: hours = 24
WITH first AS (
    SELECT ip, min(ts) AS first_seen, max(ts) AS last_seen, CAST(sum(attempts) AS BIGINT) AS attempts
    FROM failed_login_lines
    GROUP BY ip
)
SELECT f.ip, f.first_seen, f.last_seen, f.attempts, g.country_code, g.city, g.asn, g.as_org
FROM first AS f
LEFT JOIN ip_geo AS g ON g.ip = f.ip
WHERE f.first_seen >= (SELECT max(ts) FROM failed_login_lines) - to_hours(CAST($hours AS INTEGER))
ORDER BY f.attempts DESC, f.ip;
