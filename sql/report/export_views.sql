-- The views `knockmap report --from` draws a report of many hosts from:
-- the Parquet files of their exports ($files, a list of paths or globs,
-- read where they lie), under the names and with the columns the report's
-- statements read in a knockmap database, so that those statements serve
-- both. Run in an in-memory DuckDB that holds nothing else. The empty
-- SELECT before the files gives the columns an older export lacks (the
-- GeoIP databases' names) as NULL; year and month are the partition
-- folders'.
CREATE VIEW export_rows AS
SELECT * FROM (SELECT CAST(NULL AS VARCHAR) AS source, CAST(NULL AS VARCHAR) AS asn_source WHERE false)
UNION ALL BY NAME
SELECT * FROM read_parquet($files, hive_partitioning = true, union_by_name = true);

CREATE VIEW failed_login_lines AS
SELECT ts, host, username, ip, port, method, attempts
FROM export_rows;

CREATE VIEW failed_login_lines_geo AS
SELECT ts, host, username, ip, port, method, attempts,
       CAST(NULL AS VARCHAR) AS scope,
       country_code, country, region, city, latitude, longitude, asn, as_org,
       source, asn_source
FROM export_rows;

-- the failed logins' time stamps (stamps in sql/report/rollups.sql):
-- every exported row is a line of failed logins
CREATE VIEW kinds AS
SELECT CAST(1 AS UTINYINT) AS id, 'failed' AS name, true AS failure;

-- (host_id: the host's name, for sql/report/host_count.sql to count)
CREATE VIEW event_rows AS
SELECT ts, CAST(1 AS UTINYINT) AS kind_id, coalesce(port, 0) AS port, attempts AS repeat,
       coalesce(host, '') AS host_id, ip AS ip_id
FROM export_rows;

-- the ports come from the rows above: no sums per day and port are kept
-- (port_days_kept false, port_days empty)
CREATE VIEW port_days AS
SELECT CAST(NULL AS DATE) AS day, CAST(NULL AS INTEGER) AS port, CAST(NULL AS BIGINT) AS attempts WHERE false;
CREATE VIEW port_days_kept AS SELECT false AS kept;

-- the addresses as their own ids (event_rows' ip_id above), for the
-- statements that read a few addresses' rows by id (page_networks.sql),
-- and the usernames as theirs with a 'u' before (rollup_username_days
-- below), which no address begins with
CREATE VIEW dict AS
SELECT DISTINCT ip AS id, ip AS value FROM export_rows WHERE ip IS NOT NULL
UNION ALL
SELECT DISTINCT 'u' || username, username FROM export_rows WHERE username IS NOT NULL;

-- The rollups of sql/0017_rollups.sql as sql/report/rollups.sql reads them,
-- here a row per exported line (the report sums them): exports keep no
-- rollups, so a fleet's report reads its rows.
CREATE VIEW rollup_address_sums AS
SELECT utc_day(ts) AS day, ip, attempts,
       CAST(NULL AS VARCHAR) AS scope,
       country_code, country, region, city, latitude, longitude, asn, as_org,
       source, asn_source
FROM export_rows;

-- the same by address id (an address is its own id here, as in dict
-- above), and where each address is: its first exported row's place, one
-- place an address as in a knockmap database (place_days in
-- sql/report/rollups.sql reads these two)
CREATE VIEW rollup_address_days AS
SELECT utc_day(ts) AS day, ip AS ip_id, attempts FROM export_rows;

CREATE VIEW ip_geo AS
SELECT ip, g.country_code, g.country, g.asn, g.as_org
FROM (SELECT ip, arg_min({'country_code': country_code, 'country': country, 'asn': asn, 'as_org': as_org}, ts) AS g
      FROM export_rows WHERE ip IS NOT NULL GROUP BY ip);

-- the usernames per day by id (dict above; '0' for none, as 0 is in a
-- knockmap database)
CREATE VIEW rollup_username_days AS
SELECT utc_day(ts) AS day, coalesce('u' || username, '0') AS user_id, attempts FROM export_rows;

CREATE VIEW rollup_hour_sums AS
SELECT utc_day(ts) AS day, utc_hour(ts) AS hour, attempts FROM export_rows;

-- rollup_address_totals of sql/0020_address_sums_by_id.sql: here the
-- rows themselves, which sql/report/rollups.sql sums by address.
CREATE MACRO rollup_address_totals(first_day, end_day) AS TABLE
SELECT ip, attempts, scope, country_code, country, region, city, latitude, longitude,
       asn, as_org, source, asn_source
FROM rollup_address_sums
WHERE day >= first_day AND day < end_day;

-- rollup_pairs of sql/0020_address_sums_by_id.sql: a fleet keeps no
-- rollups, so the page's sets are always asked for.
CREATE MACRO rollup_pairs(first_day, end_day) AS TABLE SELECT 0 AS pairs;
