-- What `knockmap export` writes: every failed login with where its address
-- is, from $since (the first day of a month, UTC) on, and the UTC year and
-- month that name its partition folder (year=2026/month=1). The UTC day
-- comes from the microseconds since 1970 rather than through ICU's
-- calendar for each row (AT TIME ZONE 'UTC'), a quarter less time.
SELECT ts, host, username, ip, port, method,
       country_code, country, region, city, latitude, longitude, asn, as_org,
       CAST(year(DATE '1970-01-01' + CAST(floor(epoch_us(ts) / 86400e6) AS INTEGER)) AS INTEGER)  AS year,
       CAST(month(DATE '1970-01-01' + CAST(floor(epoch_us(ts) / 86400e6) AS INTEGER)) AS INTEGER) AS month
FROM failed_logins_geo
WHERE ts >= $since
