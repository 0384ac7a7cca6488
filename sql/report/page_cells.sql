-- The page's date-range control: attempts per bucket (b of
-- sql/report/rollups.sql: days, weeks over long periods, or hours for a
-- short one) by country (all of them, '' for none), ASN, username and
-- source port (the knockmap_keep most frequent of each over the period),
-- so that the page can add up any range of buckets by itself. Each
-- dimension's keys are ranked by their totals first, and only the kept
-- ones are summed per bucket: ranking every bucket's cell by a window took
-- seconds over the ports, which have nearly a cell an attempt. The
-- address rows are summed per bucket and key once (place_sums, a table
-- made once a period and bucket, which daily_by_country reads too), so
-- that the three parts that use them read 41k rows instead of 1.2M over 8
-- copies of gen-authlog's 1M-line log; the username rows are ranked by username
-- alone, and only the kept ones summed per bucket (names: 0.19 s of
-- grouping 900k rows into 510k cells became 0.03 s), the whole days'
-- found by id (rank_ids) rather than each named through dict first.
WITH username_ranks AS (
    SELECT key, row_number() OVER (ORDER BY total DESC, key) AS rank
    FROM (SELECT coalesce(username, '') AS key, sum(attempts) AS total FROM username_sums GROUP BY key)
    QUALIFY rank <= getvariable('knockmap_keep')
), rank_ids AS (
    -- the kept usernames' ids: each name's in dict, and none's (0, which
    -- is '0' beside a fleet's ids of text), under the key '' of none
    SELECT d.id, r.key, r.rank FROM dict AS d JOIN username_ranks AS r ON r.key = d.value
    UNION ALL
    SELECT 0, key, rank FROM username_ranks WHERE key = ''
), names AS (
    SELECT b, key, CAST(sum(n) AS BIGINT) AS n, any_value(rank) AS rank
    FROM (
        SELECT d.b, r.key, d.attempts AS n, r.rank
        FROM username_id_days AS d JOIN rank_ids AS r ON r.id = d.user_id
        UNION ALL
        SELECT d.b, r.key, d.attempts, r.rank
        FROM username_edge_days AS d JOIN username_ranks AS r ON r.key = coalesce(d.username, '')
    )
    GROUP BY b, key
), asn_ranks AS (
    SELECT asn, row_number() OVER (ORDER BY total DESC, CAST(asn AS VARCHAR)) AS rank
    FROM (SELECT asn, sum(n) AS total FROM place_sums WHERE asn IS NOT NULL GROUP BY asn)
    QUALIFY rank <= getvariable('knockmap_keep')
), countries AS (
    SELECT code AS key, any_value(country) AS label, b, CAST(sum(n) AS BIGINT) AS n
    FROM place_sums GROUP BY code, b
), cells AS (
    SELECT 'c' AS dim, key, label, b, n,
           dense_rank() OVER (ORDER BY total DESC, key) AS rank
    FROM (SELECT *, sum(n) OVER (PARTITION BY key) AS total FROM countries)
    UNION ALL
    SELECT 'a', CAST(d.asn AS VARCHAR), 'AS' || d.asn || ' ' || coalesce(any_value(d.as_org), ''), d.b,
           CAST(sum(d.n) AS BIGINT), any_value(r.rank)
    FROM place_sums AS d JOIN asn_ranks AS r ON r.asn = d.asn GROUP BY d.asn, d.b
    UNION ALL
    SELECT 'u', key, NULL, b, n, rank FROM names
    UNION ALL
    SELECT 'p', CAST(p.port AS VARCHAR), NULL, CAST(floor(epoch(p.ts) / CAST($5 AS BIGINT)) AS BIGINT) AS b,
           CAST(sum(p.attempts) AS BIGINT), any_value(r.rank)
    FROM port_rows AS p JOIN temp.report_port_ranks AS r ON r.port = p.port
    WHERE r.rank <= getvariable('knockmap_keep') GROUP BY p.port, b
)
SELECT dim, key, label, b, n
FROM cells
ORDER BY dim, rank, b
