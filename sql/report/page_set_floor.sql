-- A floor under the rows sql/report/page_sets.sql gives: the pairs of the
-- rollups' whole days (rollup_pairs, sql/0020_address_sums_by_id.sql), each
-- one of its rows when the page counts by the day. When it passes
-- knockmap_pairs the report leaves the sets out without asking for them.
SELECT CAST(pairs AS BIGINT) AS pairs
FROM rollup_pairs(utc_day(CAST($3 AS TIMESTAMPTZ)), utc_day(CAST($4 AS TIMESTAMPTZ)))
