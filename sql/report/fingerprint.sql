-- What a report of the period $1 (inclusive) to $2 (exclusive) is drawn
-- from, in short: the lines of failed logins it covers, the attempts they
-- stand for, a sum of a hash of each failed or accepted login line of the
-- period (the page lists the logins), and one of the ip_geo row of each
-- address these lines name (not of those that only connected).
-- Two reports with the same fingerprint show the same numbers, so that
-- `knockmap run` leaves a report be when the rows of its window, and
-- where their addresses are, are as they were (a window of "90d" moves
-- every night). The rows are hashed as stored, by their dict ids (a
-- string keeps its id), with no join: a line that takes its address from
-- its connection changes with its connection's lines, which are rows of
-- their own. The hashes are summed, not XORed, so that two equal lines do
-- not cancel.
-- The whole UTC days from $3 to $4 (midnights) come from the sums kept
-- per day (sql/0030_fingerprint_days.sql, which
-- fingerprint_refresh.sql brings up to date first), the rest of the
-- period from the rows; the addresses of those days' failed logins from
-- the address rollup (sql/0017_rollups.sql), of the successful ones from
-- those kept per day (fingerprint_addresses).
WITH edge AS (
    SELECT ip_id, kind_id, repeat,
           hash(ts, kind_id, host_id, user_id, ip_id, conn, port, method_id, repeat, rhost_id, pubkey_id) AS h
    FROM event_rows
    WHERE kind_id IN (getvariable('knockmap_failed'), getvariable('knockmap_accepted'))
      AND ((ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($3 AS TIMESTAMPTZ))
           OR (ts >= CAST($4 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)))
), whole AS (
    SELECT utc_day(CAST($3 AS TIMESTAMPTZ)) AS first_day, utc_day(CAST($4 AS TIMESTAMPTZ)) AS end_day
), sums AS (
    SELECT lines, attempts, h
    FROM fingerprint_days
    WHERE day >= (SELECT first_day FROM whole) AND day < (SELECT end_day FROM whole)
    UNION ALL
    SELECT count(*) FILTER (WHERE kind_id = getvariable('knockmap_failed')),
           sum(repeat) FILTER (WHERE kind_id = getvariable('knockmap_failed')),
           sum(h)
    FROM edge
), addresses AS (
    SELECT ip_id FROM rollup_address_days
    WHERE day >= (SELECT first_day FROM whole) AND day < (SELECT end_day FROM whole) AND attempts > 0
    UNION
    SELECT ip_id FROM fingerprint_addresses
    WHERE day >= (SELECT first_day FROM whole) AND day < (SELECT end_day FROM whole)
    UNION
    SELECT ip_id FROM edge
)
SELECT CAST(coalesce(sum(lines), 0) AS BIGINT) AS lines,
       CAST(coalesce(sum(attempts), 0) AS BIGINT) AS attempts,
       CAST(coalesce(sum(h), 0) AS VARCHAR)
           || ' ' || (SELECT CAST(coalesce(sum(hash(g)), 0) AS VARCHAR)
                      FROM ip_geo AS g JOIN dict AS d ON d.value = g.ip
                      WHERE d.id IN (SELECT ip_id FROM addresses)) AS hashed
FROM sums
