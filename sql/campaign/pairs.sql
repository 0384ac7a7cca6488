-- The distinct (address, username) pairs of the failed logins that
-- pipeline/campaign clusters: those of the lines that name both (as
-- failed_login_lines has them), from the pairs' rollup
-- (sql/0027_address_user_rollup.sql), a row a pair, by their dict ids
-- before their text is joined.
SELECT a.value AS ip, u.value AS username
FROM rollup_address_users AS p
JOIN dict AS a ON a.id = p.ip_id
JOIN dict AS u ON u.id = p.user_id
WHERE p.ip_id <> 0 AND p.user_id <> 0 AND p.attempts <> 0
ORDER BY ip, username;
