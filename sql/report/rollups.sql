-- What every report query starts from: the failed logins of the period,
-- $1 (inclusive) to $2 (exclusive). The whole UTC days from $3 to $4
-- (midnights) come from the per-day rollups (sql/0017_rollups.sql, through
-- their views rollup_*_sums; the ports from port_days or the rows); the parts of a day
-- before $3 and from $4 on from the rows, so any period gives the numbers
-- the rows give, and only its ends are read row by row. $3 = $4 = $2 reads
-- the whole period from the rows (for periods under three days, drawn by
-- the hour, and for the test that compares the two ways). $5 is the page's
-- bucket in seconds (86400, or 3600 from the rows): b numbers the buckets
-- since 1970. The report puts this before each query; DuckDB reads only
-- the relations that query names, and only port_rows reads a row per
-- attempt.
WITH edge AS (
    SELECT * FROM failed_login_lines_geo
    WHERE ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($3 AS TIMESTAMPTZ)
    UNION ALL
    SELECT * FROM failed_login_lines_geo
    WHERE ts >= CAST($4 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
),
whole AS (
    SELECT utc_day(CAST($3 AS TIMESTAMPTZ)) AS first_day, utc_day(CAST($4 AS TIMESTAMPTZ)) AS end_day
),
-- per day (and bucket) and address, with where ip_geo locates it now
address_days AS (
    SELECT day, CAST(epoch(day) AS BIGINT) // CAST($5 AS BIGINT) AS b, ip, attempts,
           scope, country_code, country, region, city, latitude, longitude, asn, as_org, source, asn_source
    FROM rollup_address_sums
    WHERE day >= utc_day(CAST($3 AS TIMESTAMPTZ)) AND day < utc_day(CAST($4 AS TIMESTAMPTZ))
    UNION ALL
    SELECT utc_day(ts), CAST(floor(epoch(ts) / CAST($5 AS BIGINT)) AS BIGINT), ip, sum(attempts),
           scope, country_code, country, region, city, latitude, longitude, asn, as_org, source, asn_source
    FROM edge GROUP BY ALL
),
-- per bucket and place (country and ASN, as ip_geo locates each address
-- now), for what counts by country or ASN only: the day rows are summed
-- by a small integer for their place, found by address id in the 10k
-- located addresses, and named after the sum (over 1.2M address-days of
-- 8 copies of gen-authlog's 1M-line log, grouping by the names and
-- joining each row to dict and ip_geo was most of page_cells' time). A
-- place can come twice in a bucket (from the rollups and from the rows
-- of a period's ends): a reader sums by place again.
place_ids AS (
    SELECT d.id, dense_rank() OVER (ORDER BY l.country_code, l.asn) AS place,
           l.country_code, l.country, l.asn, l.as_org
    FROM ip_geo AS l JOIN dict AS d ON d.value = l.ip
),
place_days AS (
    SELECT p.b, n.country_code, n.country, n.asn, n.as_org, p.attempts
    FROM (
        SELECT CAST(epoch(r.day) AS BIGINT) // CAST($5 AS BIGINT) AS b, coalesce(i.place, 0) AS place,
               sum(r.attempts) AS attempts
        FROM rollup_address_days AS r LEFT JOIN place_ids AS i ON i.id = r.ip_id
        WHERE r.day >= utc_day(CAST($3 AS TIMESTAMPTZ)) AND r.day < utc_day(CAST($4 AS TIMESTAMPTZ))
        GROUP BY ALL
    ) AS p
    LEFT JOIN (SELECT place, any_value(country_code) AS country_code, any_value(country) AS country,
                      any_value(asn) AS asn, any_value(as_org) AS as_org
               FROM place_ids GROUP BY place) AS n ON n.place = p.place
    UNION ALL
    SELECT CAST(floor(epoch(ts) / CAST($5 AS BIGINT)) AS BIGINT), country_code, country, asn, as_org, sum(attempts)
    FROM edge GROUP BY ALL
),
-- place_days summed per bucket, country and ASN (sql/report/place_sums.sql
-- for the sums; pipeline/report makes temp.report_place_sums of them once
-- a period and bucket, which is what place_sums reads)
place_sums AS (
    SELECT * FROM temp.report_place_sums
),
-- the failed attempts per bucket and username: the whole days by
-- username id (user_id: an id into dict, 0 for none; in a fleet's export
-- views the username with a 'u' before it, and '0' for none), the
-- period's ends by name, and both named (username_days). What sums or
-- keeps usernames groups and joins the whole days' 900k username-days of
-- 8 copies of gen-authlog's 1M-line log by the integer, and names only
-- what it keeps (sql/report/username_sums.sql, page_cells.sql)
username_id_days AS (
    SELECT CAST(epoch(day) AS BIGINT) // CAST($5 AS BIGINT) AS b, user_id, attempts
    FROM rollup_username_days
    WHERE day >= utc_day(CAST($3 AS TIMESTAMPTZ)) AND day < utc_day(CAST($4 AS TIMESTAMPTZ))
),
username_edge_days AS (
    SELECT CAST(floor(epoch(ts) / CAST($5 AS BIGINT)) AS BIGINT) AS b, username, sum(attempts) AS attempts
    FROM edge GROUP BY ALL
),
username_days AS (
    SELECT d.b, u.value AS username, d.attempts
    FROM username_id_days AS d LEFT JOIN dict AS u ON u.id = d.user_id
    UNION ALL
    SELECT b, username, attempts FROM username_edge_days
),
-- each username of the period (NULL for none) with its attempts
-- (sql/report/username_sums.sql for the sums; pipeline/report makes
-- temp.report_username_sums of them once a period, which is what
-- username_sums reads)
username_sums AS (
    SELECT * FROM temp.report_username_sums
),
-- the clients' source ports, each attempt's at its time stamp or, for the
-- whole days, each day's sum at its midnight: from the sums per day and
-- port (sql/0034_port_days.sql) when getvariable('knockmap_ports_kept')
-- says they hold every attempt, else from the rows (a port seldom comes
-- twice in a day, so no rollup is kept for them at ingest:
-- sql/0019_no_port_rollup.sql). A constant that is false leaves its
-- branch unread; the days' bounds are constants, not whole's, whose
-- subqueries made DuckDB hash the 1.4M sums of 8 copies of gen-authlog's
-- 1M-line log to join them to the 200 top ports (0.24 s instead of 0.01).
-- port_ranks ranks the ports of the period with no
-- grouping by day, so that what keeps the top ones reads only theirs.
port_rows AS NOT MATERIALIZED (
    SELECT ts, CAST(nullif(port, 0) AS INTEGER) AS port, repeat AS attempts
    FROM event_rows
    WHERE NOT getvariable('knockmap_ports_kept') AND kind_id = getvariable('knockmap_failed')
      AND ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
    UNION ALL
    SELECT ts, CAST(nullif(port, 0) AS INTEGER), repeat
    FROM event_rows
    WHERE getvariable('knockmap_ports_kept') AND kind_id = getvariable('knockmap_failed')
      AND ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($3 AS TIMESTAMPTZ)
    UNION ALL
    SELECT ts, CAST(nullif(port, 0) AS INTEGER), repeat
    FROM event_rows
    WHERE getvariable('knockmap_ports_kept') AND kind_id = getvariable('knockmap_failed')
      AND ts >= CAST($4 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
    UNION ALL
    SELECT to_timestamp(epoch(day)), port, attempts
    FROM port_days
    WHERE getvariable('knockmap_ports_kept')
      AND day >= utc_day(CAST($3 AS TIMESTAMPTZ)) AND day < utc_day(CAST($4 AS TIMESTAMPTZ))
),
port_ranks AS (
    SELECT port, total, row_number() OVER (ORDER BY total DESC, CAST(port AS VARCHAR)) AS rank
    FROM (SELECT port, CAST(sum(attempts) AS BIGINT) AS total FROM port_rows WHERE port IS NOT NULL GROUP BY port)
),
hours AS (
    SELECT day, hour, attempts
    FROM rollup_hour_sums
    WHERE day >= utc_day(CAST($3 AS TIMESTAMPTZ)) AND day < utc_day(CAST($4 AS TIMESTAMPTZ))
    UNION ALL
    SELECT utc_day(ts), utc_hour(ts), sum(attempts) FROM edge GROUP BY ALL
),
-- each address of the period with its attempts and where it is (one
-- place an address: grouped by the address alone, which is several times
-- faster than by every column of its place); the whole days summed by
-- the address's id first (rollup_address_totals, sql/0020_address_sums_by_id.sql).
-- Ten of the report's statements read them: pipeline/report sums them
-- once a period into temp.report_addresses (report/addresses.sql), which
-- is what addresses reads
address_sums AS (
    SELECT ip, attempts, unnest(g)
    FROM (
        SELECT ip, sum(attempts) AS attempts,
               any_value({'scope': scope, 'country_code': country_code, 'country': country, 'region': region,
                          'city': city, 'latitude': latitude, 'longitude': longitude, 'asn': asn, 'as_org': as_org,
                          'source': source, 'asn_source': asn_source}) AS g
        FROM (
            SELECT * FROM rollup_address_totals(utc_day(CAST($3 AS TIMESTAMPTZ)), utc_day(CAST($4 AS TIMESTAMPTZ)))
            UNION ALL
            SELECT ip, sum(attempts), scope, country_code, country, region, city, latitude, longitude,
                   asn, as_org, source, asn_source
            FROM edge GROUP BY ALL
        )
        GROUP BY ip
    )
),
addresses AS (
    SELECT * FROM temp.report_addresses
),
-- the time stamps of the period's failed logins alone, a streaming scan
-- (never materialized: a statement that names it more than once gives
-- each its own filter on ts, which DuckDB's row-group bounds answer)
stamps AS NOT MATERIALIZED (
    SELECT ts FROM event_rows
    WHERE kind_id = getvariable('knockmap_failed')
      AND ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
),
-- the first and last time stamp of the period's attempts: a min and max
-- over the rows (no rollup keeps them, so that forget can take rows away
-- from the sums), but only over those of the period's ends and of its
-- first and last whole day with attempts (from the hour rollup); the
-- rows are stored about in time order, so that DuckDB's row-group bounds
-- on ts leave the rest unread
stamp_days AS (
    SELECT to_timestamp(epoch(min(day))) AS first_from, to_timestamp(epoch(min(day)) + 86400) AS first_to,
           to_timestamp(epoch(max(day))) AS last_from, to_timestamp(epoch(max(day)) + 86400) AS last_to
    FROM rollup_hour_sums
    WHERE day >= utc_day(CAST($3 AS TIMESTAMPTZ)) AND day < utc_day(CAST($4 AS TIMESTAMPTZ)) AND attempts > 0
),
first_stamp AS (
    SELECT coalesce((SELECT min(ts) FROM stamps WHERE ts < CAST($3 AS TIMESTAMPTZ)),
                    (SELECT min(ts) FROM stamps
                     WHERE ts >= (SELECT first_from FROM stamp_days) AND ts < (SELECT first_to FROM stamp_days)),
                    (SELECT min(ts) FROM stamps WHERE ts >= CAST($4 AS TIMESTAMPTZ))) AS ts
),
last_stamp AS (
    SELECT coalesce((SELECT max(ts) FROM stamps WHERE ts >= CAST($4 AS TIMESTAMPTZ)),
                    (SELECT max(ts) FROM stamps
                     WHERE ts >= (SELECT last_from FROM stamp_days) AND ts < (SELECT last_to FROM stamp_days)),
                    (SELECT max(ts) FROM stamps WHERE ts < CAST($3 AS TIMESTAMPTZ))) AS ts
),
-- the period's rows themselves, for what needs a time stamp or a host
-- (read as a stream by each query that names it, never copied): lines
-- without their places, attempts with
lines AS (
    SELECT * FROM failed_login_lines
    WHERE ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
),
attempts AS (
    SELECT * FROM failed_login_lines_geo
    WHERE ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
)
