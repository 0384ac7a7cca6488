-- The countries most failed attempts come from (see knockmap enrich).
-- param: limit = 20
SELECT coalesce(country_code, '??') AS country_code, any_value(country) AS country,
       CAST(sum(attempts) AS BIGINT) AS attempts, count(DISTINCT ip) AS addresses
FROM failed_login_lines_geo
GROUP BY ALL
ORDER BY attempts DESC, country_code
LIMIT CAST($limit AS INTEGER);
