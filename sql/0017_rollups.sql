-- knockmap schema 17: the failed logins summed per UTC day, kept at ingest.
--
-- The report reads these instead of every row, so that its time and
-- memory follow the number of days, addresses and usernames, not of
-- attempts. Each holds, per UTC day (utc_day, sql/0005_utc_macros.sql)
-- and key, the sum of attempts (repeats counted) of the "Failed <method>"
-- rows, one row per day and key, no row for a sum of 0; keys are ids into
-- dict (0: none, as in event_rows).
--   rollup_address_days   per address; the report joins it to ip_geo, so
--                         that locating an address later (enrich) needs
--                         no rollup of its own
--   rollup_username_days  per username
--   rollup_port_days      per client source port (0: none)
--   rollup_hours          per UTC hour (0–23)
-- pipeline/load adds the sums of an ingest's rows in the ingest's own
-- transaction (sql/ingest/rollup_merge.sql), `knockmap forget` takes away
-- those of the rows it drops (sql/ingest/forget_rollup.sql), and
-- sql/ingest/rollup_rebuild.sql makes them anew from every row, as this
-- file does for the rows loaded before it.
CREATE TABLE IF NOT EXISTS rollup_address_days (
    day           DATE     NOT NULL,
    ip_id         UINTEGER NOT NULL,
    attempts      BIGINT   NOT NULL
);
CREATE TABLE IF NOT EXISTS rollup_username_days (
    day           DATE     NOT NULL,
    user_id       UINTEGER NOT NULL,
    attempts      BIGINT   NOT NULL
);
CREATE TABLE IF NOT EXISTS rollup_port_days (
    day           DATE     NOT NULL,
    port          INTEGER  NOT NULL,
    attempts      BIGINT   NOT NULL
);
CREATE TABLE IF NOT EXISTS rollup_hours (
    day           DATE     NOT NULL,
    hour          TINYINT  NOT NULL,
    attempts      BIGINT   NOT NULL
);

-- The rollups with their keys as failed_login_lines_geo has them
-- (sql/0008_failed_login_lines.sql), each address where ip_geo locates it
-- now: what sql/report/rollups.sql reads, and what a fleet's export views
-- give from the rows (sql/report/export_views.sql).
CREATE OR REPLACE VIEW rollup_address_sums AS
SELECT r.day, a.value AS ip, r.attempts,
       g.scope, g.country_code, g.country, g.region, g.city, g.latitude, g.longitude,
       g.asn, g.as_org, g.source, g.asn_source
FROM rollup_address_days AS r
LEFT JOIN dict AS a ON a.id = r.ip_id
LEFT JOIN ip_geo AS g ON g.ip = a.value;
CREATE OR REPLACE VIEW rollup_username_sums AS
SELECT r.day, u.value AS username, r.attempts
FROM rollup_username_days AS r LEFT JOIN dict AS u ON u.id = r.user_id;
CREATE OR REPLACE VIEW rollup_port_sums AS
SELECT day, CAST(nullif(port, 0) AS INTEGER) AS port, attempts FROM rollup_port_days;
CREATE OR REPLACE VIEW rollup_hour_sums AS
SELECT day, CAST(hour AS INTEGER) AS hour, attempts FROM rollup_hours;

-- The rows loaded before this schema (again from every row if run twice).
DELETE FROM rollup_address_days;
DELETE FROM rollup_username_days;
DELETE FROM rollup_port_days;
DELETE FROM rollup_hours;
INSERT INTO rollup_address_days
SELECT utc_day(ts), ip_id, sum(repeat) FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL;
INSERT INTO rollup_username_days
SELECT utc_day(ts), user_id, sum(repeat) FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL;
INSERT INTO rollup_port_days
SELECT utc_day(ts), port, sum(repeat) FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL;
INSERT INTO rollup_hours
SELECT utc_day(ts), utc_hour(ts), sum(repeat) FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL;
