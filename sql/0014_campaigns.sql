-- knockmap schema 14: campaigns, slow brute forces, networks and ASNs.
--
-- A campaign is a set of addresses that try one username dictionary
-- between them. pipeline/campaign finds them (MinHash and LSH over each
-- address's set of usernames, then the exact Jaccard index of each
-- candidate pair: see its package comment for the thresholds) and writes
-- campaign_members and campaign_usernames; campaigns is rebuilt from them
-- (sql/campaign/rebuild.sql) after each ingest and enrich in `knockmap run`
-- and by `knockmap campaigns`.
CREATE TABLE IF NOT EXISTS campaign_members (
    campaign      INTEGER NOT NULL,
    ip            VARCHAR NOT NULL
);

-- The campaign's shared dictionary: the names at least half its members
-- tried. Attacker-controlled text, like every username.
CREATE TABLE IF NOT EXISTS campaign_usernames (
    campaign      INTEGER NOT NULL,
    username      VARCHAR NOT NULL,
    members       INTEGER NOT NULL     -- how many members tried it
);

CREATE TABLE IF NOT EXISTS campaigns (
    id            INTEGER NOT NULL,
    addresses     VARCHAR[] NOT NULL,
    asns          UINTEGER[] NOT NULL,  -- as ip_geo knows them; empty before enrich
    countries     VARCHAR[] NOT NULL,
    usernames     VARCHAR[] NOT NULL,
    attempts      BIGINT NOT NULL,     -- every failed attempt of its members
    first_seen    TIMESTAMPTZ NOT NULL,
    last_seen     TIMESTAMPTZ NOT NULL,
    built_at      TIMESTAMPTZ NOT NULL
);

-- The network an address is in: a.b.c.0/24 for IPv4, the first 48 bits
-- (x:y:z::/48, written as netip and RFC 5952 write it) for IPv6, NULL
-- for anything else (a host name). Textual only, without the inet
-- extension: an IPv6 address is expanded at its "::" to take its first
-- three groups, and the zero groups ending them fold into the "::".
CREATE OR REPLACE MACRO net_prefix(ip) AS
    CASE
        WHEN regexp_full_match(ip, '[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}')
            THEN regexp_replace(ip, '\.[0-9]+$', '') || '.0/24'
        WHEN regexp_full_match(ip, '[0-9A-Fa-f:.]+') AND ip LIKE '%:%:%' THEN
            regexp_replace(array_to_string(list_transform(
                (CASE WHEN ip LIKE '%::%' THEN
                    list_concat(
                        list_filter(string_split(split_part(ip, '::', 1), ':'), g -> g <> ''),
                        list_transform(range(greatest(0, 8
                            - len(list_filter(string_split(split_part(ip, '::', 1), ':'), g -> g <> ''))
                            - len(list_filter(string_split(split_part(ip, '::', 2), ':'), g -> g <> '')))), x -> '0'),
                        list_filter(string_split(split_part(ip, '::', 2), ':'), g -> g <> ''))
                 ELSE string_split(ip, ':') END)[1:3],
                g -> coalesce(nullif(ltrim(lower(g), '0'), ''), '0')), ':'), '(^|:)0(:0)*$', '') || '::/48'
    END;

-- Slow brute forces: addresses whose failed attempts are spread over at
-- least 3 UTC days at fewer than 10 an hour, both on average over the
-- address's active span (first to last attempt) and by the median gap
-- between its attempts (at least 6 minutes), so that a fast burst on
-- three separate days is not taken for a slow one; and at least 5
-- attempts per active day on average, so that an address that comes back
-- now and then for a try or two (most of the background, and each member
-- of a campaign) is not taken for one. Gaps are between failed-login
-- lines; a "message repeated N times" line is one line.
CREATE OR REPLACE VIEW slow_addresses AS
WITH lines AS (
    SELECT ip, ts, attempts,
           epoch(ts) - epoch(lag(ts) OVER (PARTITION BY ip ORDER BY ts)) AS gap_s
    FROM failed_login_lines
    WHERE ip IS NOT NULL
), per AS (
    SELECT ip,
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
    GROUP BY ip
)
SELECT ip, attempts, first_seen, last_seen, days,
       round(attempts / span_hours, 3)  AS per_hour,
       median_gap_s,
       min_gap_s,
       gap_quantiles_s[1] AS p10_gap_s,
       gap_quantiles_s[2] AS p25_gap_s,
       gap_quantiles_s[3] AS p75_gap_s,
       gap_quantiles_s[4] AS p90_gap_s,
       max_gap_s
FROM per
WHERE days >= 3 AND span_hours > 0 AND attempts / span_hours < 10 AND median_gap_s >= 360
  AND attempts >= 5 * days;

-- Failed attempts by network (/24 for IPv4, /48 for IPv6).
CREATE OR REPLACE VIEW networks AS
SELECT net_prefix(ip)                  AS network,
       CAST(sum(attempts) AS BIGINT)   AS attempts,
       count(DISTINCT ip)              AS addresses,
       min(ts)                         AS first_seen,
       max(ts)                         AS last_seen
FROM failed_login_lines
WHERE net_prefix(ip) IS NOT NULL
GROUP BY ALL;

-- Failed attempts by autonomous system, as ip_geo knows them (NULL: not
-- located, or no ASN for it).
CREATE OR REPLACE VIEW asns AS
SELECT g.asn,
       any_value(g.as_org)             AS as_org,
       CAST(sum(f.attempts) AS BIGINT) AS attempts,
       count(DISTINCT f.ip)            AS addresses,
       count(DISTINCT net_prefix(f.ip)) AS networks,
       list(DISTINCT g.country_code ORDER BY g.country_code) FILTER (WHERE g.country_code IS NOT NULL) AS countries,
       min(f.ts)                       AS first_seen,
       max(f.ts)                       AS last_seen
FROM failed_login_lines AS f
LEFT JOIN ip_geo AS g ON g.ip = f.ip
GROUP BY g.asn;
