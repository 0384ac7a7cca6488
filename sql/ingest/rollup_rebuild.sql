-- The rollups (sql/0017_rollups.sql, less the ports' that
-- sql/0019_no_port_rollup.sql dropped, and the pairs' of
-- sql/0027_address_user_rollup.sql) made anew from every row: after a
-- crash left rows behind (sql/ingest/repair.sql), whose sums the rollups
-- may or may not hold.
DELETE FROM rollup_address_days;
DELETE FROM rollup_username_days;
DELETE FROM rollup_hours;
INSERT INTO rollup_address_days
SELECT utc_day(ts), ip_id, sum(repeat) FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL;
INSERT INTO rollup_username_days
SELECT utc_day(ts), user_id, sum(repeat) FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL;
INSERT INTO rollup_hours
SELECT utc_day(ts), utc_hour(ts), sum(repeat) FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL;
DELETE FROM rollup_address_users;
INSERT INTO rollup_address_users
SELECT ip_id, user_id, sum(repeat) FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL;
