-- Failed attempts per day (UTC) over the last days.
-- param: days = 30
SELECT utc_day(ts) AS day, CAST(sum(attempts) AS BIGINT) AS attempts,
       count(DISTINCT ip) AS addresses, count(DISTINCT username) AS usernames
FROM failed_login_lines
WHERE ts >= (SELECT max(ts) FROM failed_login_lines) - to_days(CAST($days AS INTEGER))
GROUP BY day
ORDER BY day;
