-- Brings fingerprint_days (sql/0030_fingerprint_days.sql) and port_days
-- (sql/0034_port_days.sql) up to date, a statement at a time, in one transaction of
-- pipeline/report's Fingerprint, after the kinds' variables
-- (getvariable('knockmap_failed'), 'knockmap_accepted').
-- Every sum is made anew when a source it counted is gone (forget) or has
-- fewer lines than it had then:
SET VARIABLE knockmap_fingerprint_anew = (
    SELECT count(*) > 0
    FROM fingerprint_sources AS f
    LEFT JOIN sources AS s ON s.id = f.source_id
    WHERE s.id IS NULL OR s.lines < f.lines);
DELETE FROM fingerprint_days WHERE getvariable('knockmap_fingerprint_anew');
DELETE FROM fingerprint_addresses WHERE getvariable('knockmap_fingerprint_anew');
DELETE FROM port_days WHERE getvariable('knockmap_fingerprint_anew');
DELETE FROM fingerprint_sources WHERE getvariable('knockmap_fingerprint_anew');
-- Else the lines each source read since are added: those after the lines
-- it had then, up to those it has now (a line past them is a row that no
-- committed ingest accounts for, which sql/ingest/repair.sql drops). The
-- fewest lines any source had then is a bound on the line numbers that
-- DuckDB tests against each row group's, so that a night whose sources
-- were read before reads only the row groups of its own lines, and one
-- that read none no row group.
CREATE OR REPLACE TEMPORARY TABLE report_fingerprint_grown AS
SELECT s.id, coalesce(f.lines, 0) AS since, s.lines AS upto
FROM sources AS s
LEFT JOIN fingerprint_sources AS f ON f.source_id = s.id
WHERE f.lines IS NULL OR s.lines > f.lines;
SET VARIABLE knockmap_fingerprint_since = (
    SELECT coalesce(min(since), 9223372036854775807) FROM temp.report_fingerprint_grown);
CREATE OR REPLACE TEMPORARY TABLE report_fingerprint_lines AS
SELECT utc_day(e.ts) AS day, e.kind_id, e.ip_id, e.port, e.repeat,
       hash(e.ts, e.kind_id, e.host_id, e.user_id, e.ip_id, e.conn, e.port, e.method_id, e.repeat, e.rhost_id, e.pubkey_id) AS h
FROM event_rows AS e
JOIN temp.report_fingerprint_grown AS g ON g.id = e.source_id AND e.line > g.since AND e.line <= g.upto
WHERE e.kind_id IN (getvariable('knockmap_failed'), getvariable('knockmap_accepted'))
  AND e.line > getvariable('knockmap_fingerprint_since');
CREATE OR REPLACE TEMPORARY TABLE report_fingerprint_batch AS
SELECT day,
       count(*) FILTER (WHERE kind_id = getvariable('knockmap_failed')) AS lines,
       coalesce(sum(repeat) FILTER (WHERE kind_id = getvariable('knockmap_failed')), 0) AS attempts,
       sum(h) AS h
FROM temp.report_fingerprint_lines
GROUP BY day;
INSERT INTO fingerprint_addresses
SELECT DISTINCT l.day, l.ip_id
FROM temp.report_fingerprint_lines AS l
WHERE l.kind_id = getvariable('knockmap_accepted')
  AND NOT EXISTS (SELECT 1 FROM fingerprint_addresses AS a WHERE a.day = l.day AND a.ip_id = l.ip_id);
-- the failed attempts per day and port, added as rows of their own
INSERT INTO port_days
SELECT day, port, sum(repeat)
FROM temp.report_fingerprint_lines
WHERE kind_id = getvariable('knockmap_failed') AND port <> 0
GROUP BY day, port;
UPDATE fingerprint_days AS d
SET lines = d.lines + b.lines, attempts = d.attempts + b.attempts, h = d.h + b.h
FROM temp.report_fingerprint_batch AS b
WHERE d.day = b.day;
INSERT INTO fingerprint_days
SELECT b.day, b.lines, b.attempts, b.h
FROM temp.report_fingerprint_batch AS b
WHERE NOT EXISTS (SELECT 1 FROM fingerprint_days AS d WHERE d.day = b.day);
DELETE FROM fingerprint_sources;
INSERT INTO fingerprint_sources SELECT id, lines FROM sources;
DROP TABLE temp.report_fingerprint_batch;
DROP TABLE temp.report_fingerprint_lines;
DROP TABLE temp.report_fingerprint_grown;
