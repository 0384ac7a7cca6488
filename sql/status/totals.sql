-- knockmap status: the period the failed logins cover, the attempts, the
-- addresses, and the addresses whose first attempt is on $today (UTC).
WITH first AS (
    SELECT ip, min(ts) AS first_ts
    FROM failed_login_lines
    GROUP BY ip
)
SELECT (SELECT min(ts) FROM event_rows) AS first_ts,
       (SELECT max(ts) FROM event_rows) AS last_ts,
       (SELECT CAST(coalesce(sum(attempts), 0) AS BIGINT) FROM failed_login_lines) AS attempts,
       (SELECT count(*) FROM first) AS addresses,
       (SELECT count(*) FROM first WHERE utc_day(first_ts) = CAST($today AS DATE)) AS new_today
