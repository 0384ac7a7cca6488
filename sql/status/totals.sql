-- knockmap status: the period the failed logins cover, the attempts, the
-- addresses, and the addresses whose first attempt is on $today (UTC).
-- Read off event_rows by ip_id (one id an address, 0 none, as the view
-- failed_login_lines groups them by ip): the view's string joins would
-- cost a join a row for nothing.
WITH failed AS (
    SELECT ip_id, ts, repeat
    FROM event_rows
    WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed')
), first AS (
    SELECT ip_id, min(ts) AS first_ts
    FROM failed
    GROUP BY ip_id
)
SELECT (SELECT min(ts) FROM event_rows) AS first_ts,
       (SELECT max(ts) FROM event_rows) AS last_ts,
       (SELECT CAST(coalesce(sum(repeat), 0) AS BIGINT) FROM failed) AS attempts,
       (SELECT count(*) FROM first) AS addresses,
       (SELECT count(*) FROM first WHERE utc_day(first_ts) = CAST($today AS DATE)) AS new_today
