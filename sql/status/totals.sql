-- knockmap status: the period the failed logins cover, the attempts, the
-- addresses, and the addresses whose first attempt is on $today (UTC).
-- Read off event_rows by ip_id (one id an address, 0 none, as the view
-- failed_login_lines groups them by ip): the view's string joins would
-- cost a join a row for nothing.
-- The failed rows are summed by address in one scan (per): a relation of
-- the rows named twice is one DuckDB holds, every failed row of the
-- history, where per holds a row an address.
WITH per AS (
    SELECT ip_id, min(ts) AS first_ts, sum(repeat) AS attempts
    FROM event_rows
    WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed')
    GROUP BY ip_id
)
SELECT (SELECT min(ts) FROM event_rows) AS first_ts,
       (SELECT max(ts) FROM event_rows) AS last_ts,
       (SELECT CAST(coalesce(sum(attempts), 0) AS BIGINT) FROM per) AS attempts,
       (SELECT count(*) FROM per) AS addresses,
       (SELECT count(*) FROM per WHERE utc_day(first_ts) = CAST($today AS DATE)) AS new_today
