-- Failed attempts per day (UTC) over the last days.
-- param: days = 30
SELECT utc_day(ts) AS day, count(*) AS attempts,
       count(DISTINCT ip) AS addresses, count(DISTINCT username) AS usernames
FROM failed_logins
WHERE ts >= (SELECT max(ts) FROM failed_logins) - to_days(CAST($days AS INTEGER))
GROUP BY day
ORDER BY day;
