-- knockmap schema 20: the address rollup summed and located by its ids.
--
-- rollup_address_days holds a row per address and day: 0.4 rows per
-- failed attempt over 8 copies of gen-authlog's 1M-line log (1.18M rows
-- for 3M attempts of 9,986 addresses), since an address comes back day
-- after day. Schema 17's view joined each of those rows to dict and then
-- to ip_geo on the address's text, and the report grouped them by that
-- text: a fifth of a second for each statement that read them.
--
-- rollup_address_sums is the same rows, located through an integer join
-- (ip_geo's addresses given their dict ids once, a row an address);
-- rollup_address_totals(first_day, end_day) sums the days from first_day
-- (inclusive) to end_day (exclusive) by the address's id before it looks
-- up its text and place, so that what is joined is a row an address.
-- sql/report/export_views.sql defines both for a fleet's Parquet files.
CREATE OR REPLACE VIEW rollup_address_sums AS
SELECT r.day, a.value AS ip, r.attempts,
       g.scope, g.country_code, g.country, g.region, g.city, g.latitude, g.longitude,
       g.asn, g.as_org, g.source, g.asn_source
FROM rollup_address_days AS r
LEFT JOIN dict AS a ON a.id = r.ip_id
LEFT JOIN (SELECT d.id, l.* FROM ip_geo AS l JOIN dict AS d ON d.value = l.ip) AS g ON g.id = r.ip_id;

CREATE OR REPLACE MACRO rollup_address_totals(first_day, end_day) AS TABLE
SELECT a.value AS ip, t.attempts,
       g.scope, g.country_code, g.country, g.region, g.city, g.latitude, g.longitude,
       g.asn, g.as_org, g.source, g.asn_source
FROM (SELECT ip_id, sum(attempts) AS attempts
      FROM rollup_address_days
      WHERE day >= first_day AND day < end_day
      GROUP BY ip_id) AS t
LEFT JOIN dict AS a ON a.id = t.ip_id
LEFT JOIN ip_geo AS g ON g.ip = a.value;

-- rollup_pairs(first_day, end_day): how many (address, day) and
-- (username, day) pairs the rollups hold from first_day to end_day, each
-- one row of them. The page lists such pairs only up to a bound
-- (sql/report/page_sets.sql), and the report asks for none when these
-- alone pass it, instead of grouping a row per pair to find out.
CREATE OR REPLACE MACRO rollup_pairs(first_day, end_day) AS TABLE
SELECT (SELECT count(*) FROM rollup_address_days WHERE day >= first_day AND day < end_day AND ip_id <> 0)
     + (SELECT count(*) FROM rollup_username_days WHERE day >= first_day AND day < end_day) AS pairs;
