-- The failed logins a report covers: those from $1 (inclusive) to $2
-- (exclusive), with where their addresses are. Every report query starts
-- from this one, so a period is chosen in one place. The report copies
-- these rows once into a temporary table named attempts, or, for more
-- than pipeline/report's MaterializeMax of them, puts this statement before
-- each query as WITH attempts AS (…).
SELECT *
FROM failed_login_lines_geo
WHERE ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
