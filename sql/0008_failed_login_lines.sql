-- knockmap schema 8: failed logins a line at a time, each with the number
-- of attempts it stands for.
--
-- A "message repeated N times" line is one row of event_rows with
-- repeat = N. failed_logins makes N rows of it, which is what a user who
-- counts rows expects; anything that aggregates counts sum(attempts) over
-- these views instead, so that no query makes a row per repetition (the
-- report, the export and the named queries all do). sshd.MaxRepeat bounds
-- repeat at ingest.
CREATE OR REPLACE VIEW failed_login_lines AS
SELECT e.ts,
       h.value                       AS host,
       u.value                       AS username,
       a.value                       AS ip,
       CAST(nullif(e.port, 0) AS INTEGER) AS port,
       m.value                       AS method,
       e.repeat                      AS attempts
FROM event_rows AS e
LEFT JOIN dict AS h ON h.id = e.host_id
LEFT JOIN dict AS u ON u.id = e.user_id
LEFT JOIN dict AS a ON a.id = e.ip_id
LEFT JOIN dict AS m ON m.id = e.method_id
WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'failed');

-- failed_login_lines with where each address is (as failed_logins_geo).
CREATE OR REPLACE VIEW failed_login_lines_geo AS
SELECT f.*,
       g.scope,
       g.country_code,
       g.country,
       g.region,
       g.city,
       g.latitude,
       g.longitude,
       g.asn,
       g.as_org,
       g.source,
       g.asn_source
FROM failed_login_lines AS f
LEFT JOIN ip_geo AS g ON g.ip = f.ip;
