-- The period's usernames (NULL for none) with their attempts (username_days
-- of sql/report/rollups.sql), for the statements that read username_sums:
-- pipeline/report makes temp.report_username_sums from this statement
-- once a period, where totals, top_usernames and page_cells each summed
-- the 900k username-days of a 1 GB log again. The whole days are summed
-- by username id and named after (username_id_days): a LEFT JOIN, so that
-- the id of none, which dict does not hold, is NULL as in username_days.
SELECT username, sum(attempts) AS attempts
FROM (
    SELECT u.value AS username, s.attempts
    FROM (SELECT user_id, sum(attempts) AS attempts FROM username_id_days GROUP BY user_id) AS s
    LEFT JOIN dict AS u ON u.id = s.user_id
    UNION ALL
    SELECT username, attempts FROM username_edge_days
)
GROUP BY username
