-- The connections that lasted longest, from their first line to their
-- last, with what they tried and how they came out.
-- param: limit = 20
SELECT id, host, pid, ip, port, first_ts, last_ts, last_ts - first_ts AS lasted,
       attempts, outcome, ended_with, usernames, lines
FROM connections
ORDER BY lasted DESC, id
LIMIT CAST($limit AS INTEGER);
