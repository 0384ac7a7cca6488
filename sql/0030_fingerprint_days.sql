-- knockmap schema 30: the report's fingerprint summed per UTC day, kept.
--
-- `knockmap run` leaves the report be when its fingerprint
-- (sql/report/fingerprint.sql) is the one it was drawn from. That summed
-- a hash of every failed or successful login line of the report's window
-- each night: over 8 copies of gen-authlog's 1M-line log, 3.0M rows and
-- their eleven columns read only for it, 0.35 s of the night's CPU.
--
-- fingerprint_days holds those sums per UTC day of the lines'
-- time stamps: the failed login lines, their attempts (repeats counted)
-- and the sum of hash(ts, kind_id, host_id, user_id, ip_id, conn, port,
-- method_id, repeat, rhost_id, pubkey_id) of the failed and successful
-- login lines. Rows are only ever added at the end of a source (its lines
-- after those it had) or dropped with the whole source (forget), so
-- pipeline/report (Fingerprint) adds the lines each source read since the
-- sums were made (fingerprint_sources: how many lines each source
-- had then) and makes them anew from every row when a source it counted
-- is gone or has fewer lines; fingerprint_addresses is kept the same
-- way. A migration that changes event_rows' rows in place empties the
-- three tables.
CREATE TABLE IF NOT EXISTS fingerprint_days (
    day           DATE    NOT NULL,
    lines         BIGINT  NOT NULL,
    attempts      HUGEINT NOT NULL,
    h             HUGEINT NOT NULL
);

-- The addresses of the successful logins per UTC day, for the addresses
-- whose places the fingerprint hashes: those of the failed logins come
-- from the address rollup, and reading these from the rows took each
-- night a scan of every row's kind (60 ms over the 1 GB log).
CREATE TABLE IF NOT EXISTS fingerprint_addresses (
    day           DATE     NOT NULL,
    ip_id         UINTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS fingerprint_sources (
    source_id     INTEGER NOT NULL,
    lines         BIGINT  NOT NULL
);
