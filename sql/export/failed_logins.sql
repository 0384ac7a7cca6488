-- What `knockmap export` writes: every line of failed logins (attempts: how
-- many it stands for, as in the view failed_login_lines) with where its address
-- is, from $since (the first day of a month, UTC) on, and the UTC year and
-- month that name its partition folder (year=2026/month=1); utc_day is in
-- sql/0005_utc_macros.sql. source and asn_source name the GeoIP databases
-- that answered, so that a report drawn from the export (report --from)
-- credits them.
SELECT ts, host, username, ip, port, method, attempts,
       country_code, country, region, city, latitude, longitude, asn, as_org,
       source, asn_source,
       CAST(year(utc_day(ts)) AS INTEGER)  AS year,
       CAST(month(utc_day(ts)) AS INTEGER) AS month
FROM failed_login_lines_geo
WHERE ts >= $since
