-- knockmap schema 18: slow_addresses windowed over ids, not strings.

-- slow_addresses as in sql/0014_campaigns.sql, each address's gaps taken
-- over its ip_id rather than its string: the window sorted 3M rows by a
-- string, 8.5 s of the report's 8M-row page; by the id it is a fraction.
CREATE OR REPLACE VIEW slow_addresses AS
WITH lines AS (
    SELECT ip_id, ts, repeat AS attempts,
           epoch(ts) - epoch(lag(ts) OVER (PARTITION BY ip_id ORDER BY ts)) AS gap_s
    FROM event_rows
    WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND ip_id <> 0
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
