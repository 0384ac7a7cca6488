-- knockmap schema 24: slow_addresses windows over its candidates only.
--
-- The view of sql/0018_slow_addresses_ids.sql took the gap before every
-- failed attempt (a window over all of them) and each address's gap
-- quantiles (aggregates that hold every gap of an address), so that its
-- memory grew with the whole history: 1.4 s and about 130 MB resident
-- more for the report over 10.5M attempts. An address it keeps has
-- attempts on 3 days or more, at least 5 a day on average, and under 10
-- an hour over its span; the address rollup (sql/0017_rollups.sql) tells
-- each of those from a row an address and day, the last one as a bound
-- (a span of D days is at most 24·D hours). Only the candidates' rows are
-- windowed, and every column is what schema 18 gave.
CREATE OR REPLACE VIEW slow_addresses AS
WITH candidates AS (
    SELECT ip_id
    FROM rollup_address_days
    WHERE ip_id <> 0 AND attempts > 0
    GROUP BY ip_id
    HAVING count(*) >= 3 AND sum(attempts) >= 5 * count(*)
       AND sum(attempts) < 240 * (max(day) - min(day) + 1)
), lines AS (
    SELECT ip_id, ts, repeat AS attempts,
           epoch(ts) - epoch(lag(ts) OVER (PARTITION BY ip_id ORDER BY ts)) AS gap_s
    FROM event_rows
    WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND ip_id <> 0
      AND ip_id IN (SELECT ip_id FROM candidates)
), per AS (
    SELECT ip_id,
           CAST(sum(attempts) AS BIGINT)        AS attempts,
           min(ts)                              AS first_seen,
           max(ts)                              AS last_seen,
           count(DISTINCT utc_day(ts))          AS days,
           (epoch(max(ts)) - epoch(min(ts))) / 3600.0 AS span_hours,
           quantile_cont(gap_s, 0.5)            AS median_gap_s,
           quantile_cont(gap_s, [0.1, 0.25, 0.75, 0.9]) AS gap_quantiles_s,
           min(gap_s)                           AS min_gap_s,
           max(gap_s)                           AS max_gap_s
    FROM lines
    GROUP BY ip_id
)
SELECT d.value AS ip, attempts, first_seen, last_seen, days,
       round(attempts / span_hours, 3)  AS per_hour,
       median_gap_s,
       min_gap_s,
       gap_quantiles_s[1] AS p10_gap_s,
       gap_quantiles_s[2] AS p25_gap_s,
       gap_quantiles_s[3] AS p75_gap_s,
       gap_quantiles_s[4] AS p90_gap_s,
       max_gap_s
FROM per
JOIN dict AS d ON d.id = per.ip_id
WHERE days >= 3 AND span_hours > 0 AND attempts / span_hours < 10 AND median_gap_s >= 360
  AND attempts >= 5 * days;
