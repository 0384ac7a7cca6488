-- The period's usernames (NULL for none) with their attempts (username_days
-- of sql/report/rollups.sql), for the statements that read username_sums:
-- pipeline/report makes temp.report_username_sums from this statement
-- once a period, where totals, top_usernames and page_cells each summed
-- the 900k username-days of a 1 GB log again.
SELECT username, sum(attempts) AS attempts
FROM username_days
GROUP BY username
