-- failed_logins.sql for CSV: a text cell that a spreadsheet would run as a
-- formula gets a leading apostrophe, as store.Spreadsheet does for
-- knockmap query --format csv: one that starts with = + - @ |, a tab or a
-- carriage return, or with whitespace (unicode.IsSpace's set) and then one
-- of = + - @ |. Usernames and host names come from attackers, and the
-- GeoIP names are not checked either, so every text column gets it. The
-- pattern is store.SpreadsheetPattern (TestSpreadsheetPattern holds them
-- to each other).
SELECT ts,
       CASE WHEN regexp_matches(host, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || host ELSE host END AS host,
       CASE WHEN regexp_matches(username, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || username ELSE username END AS username,
       CASE WHEN regexp_matches(ip, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || ip ELSE ip END AS ip,
       port,
       CASE WHEN regexp_matches(method, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || method ELSE method END AS method,
       attempts,
       CASE WHEN regexp_matches(country_code, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || country_code ELSE country_code END AS country_code,
       CASE WHEN regexp_matches(country, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || country ELSE country END AS country,
       CASE WHEN regexp_matches(region, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || region ELSE region END AS region,
       CASE WHEN regexp_matches(city, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || city ELSE city END AS city,
       latitude, longitude, asn,
       CASE WHEN regexp_matches(as_org, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || as_org ELSE as_org END AS as_org,
       CASE WHEN regexp_matches(source, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || source ELSE source END AS source,
       CASE WHEN regexp_matches(asn_source, '^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]') THEN '''' || asn_source ELSE asn_source END AS asn_source,
       CAST(year(utc_day(ts)) AS INTEGER)  AS year,
       CAST(month(utc_day(ts)) AS INTEGER) AS month
FROM failed_login_lines_geo
WHERE ts >= $since
