-- What `knockmap export` writes: every failed login with where its address
-- is, from $since (the first day of a month, UTC) on, and the UTC year and
-- month that name its partition folder (year=2026/month=1).
SELECT ts, host, username, ip, port, method,
       country_code, country, region, city, latitude, longitude, asn, as_org,
       CAST(year(ts AT TIME ZONE 'UTC') AS INTEGER)  AS year,
       CAST(month(ts AT TIME ZONE 'UTC') AS INTEGER) AS month
FROM failed_logins_geo
WHERE ts >= $since
