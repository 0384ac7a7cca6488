-- The distinct (address, username) pairs of the failed logins that
-- pipeline/campaign clusters: those of the lines that name both (as
-- failed_login_lines has them), made distinct by their dict ids before
-- their text is joined, a row a pair instead of a row an attempt.
SELECT a.value AS ip, u.value AS username
FROM (SELECT DISTINCT ip_id, user_id FROM event_rows
      WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND ip_id <> 0 AND user_id <> 0) AS p
JOIN dict AS a ON a.id = p.ip_id
JOIN dict AS u ON u.id = p.user_id
ORDER BY ip, username;
