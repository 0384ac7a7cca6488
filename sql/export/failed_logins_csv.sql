-- failed_logins.sql for CSV: a text cell that starts with = + - @ (or a tab
-- or carriage return) would be run as a formula by a spreadsheet, and
-- usernames and host names come from attackers, so such a cell gets a
-- leading apostrophe.
SELECT ts,
       CASE WHEN regexp_matches(host, '^[=+\-@\t\r]') THEN '''' || host ELSE host END AS host,
       CASE WHEN regexp_matches(username, '^[=+\-@\t\r]') THEN '''' || username ELSE username END AS username,
       ip, port,
       CASE WHEN regexp_matches(method, '^[=+\-@\t\r]') THEN '''' || method ELSE method END AS method,
       attempts,
       country_code, country, region, city, latitude, longitude, asn,
       CASE WHEN regexp_matches(as_org, '^[=+\-@\t\r]') THEN '''' || as_org ELSE as_org END AS as_org,
       CAST(year(utc_day(ts)) AS INTEGER)  AS year,
       CAST(month(utc_day(ts)) AS INTEGER) AS month
FROM failed_login_lines_geo
WHERE ts >= $since
