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
WITH per AS (
    -- the window's lines by address, in one pass: DuckDB held the lines
    -- (3M over 8 copies of gen-authlog's 1M-line log) when the addresses
    -- were a second scan of the same rows
    SELECT ip_id,
           count(*) FILTER (WHERE kind_id = getvariable('knockmap_failed')) AS lines,
           sum(repeat) FILTER (WHERE kind_id = getvariable('knockmap_failed')) AS attempts,
           sum(hash(ts, kind_id, host_id, user_id, ip_id, conn, port, method_id, repeat, rhost_id, pubkey_id)) AS h
    FROM event_rows
    WHERE kind_id IN (getvariable('knockmap_failed'), getvariable('knockmap_accepted'))
      AND ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
    GROUP BY ip_id
)
SELECT CAST(coalesce(sum(lines), 0) AS BIGINT) AS lines,
       CAST(coalesce(sum(attempts), 0) AS BIGINT) AS attempts,
       CAST(coalesce(sum(h), 0) AS VARCHAR)
           || ' ' || (SELECT CAST(coalesce(sum(hash(g)), 0) AS VARCHAR)
                      FROM ip_geo AS g JOIN dict AS d ON d.value = g.ip
                      WHERE d.id IN (SELECT ip_id FROM per)) AS hashed
FROM per
