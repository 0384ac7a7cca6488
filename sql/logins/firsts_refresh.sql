-- Brings address_firsts (sql/0033_address_firsts.sql) up to date, a
-- statement at a time, in pipeline/logins' Refresh transaction before it
-- computes the logins: the first attempt of each connection of the lines
-- read since (past the fewest lines any source had then, a bound DuckDB
-- tests against each row group's line numbers), taken with the kept
-- firsts of their addresses as logins_kept_since takes them; every
-- address's from every line when the kept ones are to be read again.
SET VARIABLE knockmap_firsts_since = (SELECT coalesce(min(since), 9223372036854775807) FROM address_firsts_since());
CREATE OR REPLACE TEMPORARY TABLE logins_firsts_new AS
WITH conns AS (
    SELECT e.ip_id, e.conn, min(e.ts) AS ts
    FROM event_rows AS e
    JOIN address_firsts_since() AS g ON g.id = e.source_id AND e.line > g.since
    WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND e.ip_id <> 0
      AND e.line > getvariable('knockmap_firsts_since')
    GROUP BY e.ip_id, e.conn
), touched AS (
    SELECT DISTINCT ip_id FROM conns
), merged AS (
    SELECT ip_id, conn, ts FROM conns
    UNION ALL
    SELECT k.ip_id, k.conn, k.ts FROM address_firsts_kept() AS k WHERE k.ip_id IN (SELECT ip_id FROM touched)
    UNION ALL
    SELECT k.ip_id, NULL, k.other_ts FROM address_firsts_kept() AS k
    WHERE k.other_ts IS NOT NULL AND k.ip_id IN (SELECT ip_id FROM touched)
)
SELECT ip_id, min(ts) AS ts, arg_min(conn, ts) AS conn, min(ts, 2)[2] AS other_ts
FROM (SELECT ip_id, conn, min(ts) AS ts FROM merged GROUP BY ip_id, conn)
GROUP BY ip_id;
DELETE FROM address_firsts WHERE (SELECT anew FROM address_firsts_anew()) OR ip_id IN (SELECT ip_id FROM temp.logins_firsts_new);
INSERT INTO address_firsts SELECT ip_id, ts, conn, other_ts FROM temp.logins_firsts_new;
DELETE FROM address_firsts_sources;
INSERT INTO address_firsts_sources SELECT id, lines FROM sources;
DROP TABLE temp.logins_firsts_new;
-- nothing is left to read past the kept firsts, for the logins computed
-- next in the transaction (Refresh resets the variable after them: in
-- another statement it would hide the lines loaded later)
SET VARIABLE knockmap_firsts_since = 9223372036854775807;
