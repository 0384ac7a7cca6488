-- knockmap schema 1: what was read, and every recognised sshd line.

-- One row per input ever read, known by a fingerprint of its first line so
-- that a renamed or compressed log (auth.log -> auth.log.1 -> auth.log.2.gz)
-- is the same source. offset_bytes and lines say how far it has been read.
CREATE TABLE sources (
    id            INTEGER NOT NULL,
    fingerprint   VARCHAR NOT NULL,
    path          VARCHAR NOT NULL,   -- where it was last seen
    offset_bytes  BIGINT  NOT NULL,   -- decompressed bytes read, up to the end of a whole line
    lines         BIGINT  NOT NULL,   -- lines read
    year          INTEGER,            -- year of the last year-less syslog line read
    month         INTEGER,            -- its month, to carry year inference on
    first_ts      TIMESTAMPTZ,
    last_ts       TIMESTAMPTZ,
    first_read    TIMESTAMPTZ NOT NULL,
    last_read     TIMESTAMPTZ NOT NULL
);

-- Every sshd line that knockmap recognised, one row a line. A
-- "message repeated N times" line is one row with repeat = N.
CREATE TABLE events (
    ts            TIMESTAMPTZ NOT NULL,
    host          VARCHAR,
    daemon        VARCHAR,            -- sshd, sshd-session, sshd-auth
    pid           INTEGER,
    kind          VARCHAR NOT NULL,   -- failed, invalid_user, pam_failure, preauth_close, accepted, …
    method        VARCHAR,            -- password, publickey, none, keyboard-interactive/pam, …
    username      VARCHAR,            -- exactly as logged: attacker-controlled text
    invalid_user  BOOLEAN NOT NULL,
    ip            VARCHAR,            -- source address as logged; ::ffff:a.b.c.d stored as a.b.c.d
    port          INTEGER,            -- the client's source port
    repeat        INTEGER NOT NULL,
    source_id     INTEGER NOT NULL,   -- sources.id
    line          BIGINT  NOT NULL,   -- line number in that source
    key           UBIGINT NOT NULL    -- hash of host, time, pid and message, to drop overlaps between sources
);

-- One row per failed authentication attempt: each "Failed <method>" line,
-- a repeated line counting as many times as it was repeated.
CREATE VIEW failed_logins AS
SELECT ts, host, username, ip, port, method
FROM events, range(events.repeat) AS r(i)
WHERE kind = 'failed';

-- What each ingest did.
CREATE TABLE ingest_runs (
    started       TIMESTAMPTZ NOT NULL,
    finished      TIMESTAMPTZ NOT NULL,
    files         INTEGER NOT NULL,
    lines         BIGINT  NOT NULL,
    new_rows      BIGINT  NOT NULL,
    skipped       BIGINT  NOT NULL,
    bad           BIGINT  NOT NULL
);
