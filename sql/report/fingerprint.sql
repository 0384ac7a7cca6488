-- What a report of the period $1 (inclusive) to $2 (exclusive) is drawn
-- from, in short: the lines of failed logins it covers, the attempts they
-- stand for, and a sum of a hash of each line with where its address is.
-- Two reports with the same fingerprint show the same numbers, so that
-- `knockmap run` leaves a report be when the rows of its window, and
-- their places, are as they were (a window of "90d" moves every night).
-- The hashes are summed, not XORed, so that two equal lines do not cancel.
SELECT count(*)                                AS lines,
       CAST(coalesce(sum(attempts), 0) AS BIGINT) AS attempts,
       CAST(coalesce(sum(hash(ts, host, username, ip, port, method, attempts,
                              country_code, country, region, city, latitude, longitude,
                              asn, as_org, source, asn_source)), 0) AS VARCHAR) AS hashed
FROM failed_login_lines_geo
WHERE ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
