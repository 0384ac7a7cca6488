-- knockmap schema 1: what was read, and every recognised sshd line.
--
-- Users query the views events and failed_logins. Underneath, event_rows
-- keeps each line as fixed-width codes and every string (host, method,
-- username, address) is stored once in dict: DuckDB loads and
-- compresses integers several times faster than strings, and the file is
-- smaller.

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

-- Every distinct string once. Id 0 is never used: it stands for "none".
CREATE TABLE dict (
    id            UINTEGER NOT NULL,
    value         VARCHAR  NOT NULL
);

-- The families of sshd message (pipeline/sshd's Kind, same numbers).
CREATE TABLE kinds (
    id            UTINYINT NOT NULL,
    name          VARCHAR  NOT NULL,
    failure       BOOLEAN  NOT NULL   -- a sign of an unwelcome connection
);
INSERT INTO kinds VALUES
    (1,  'failed',              true),
    (2,  'invalid_user',        true),
    (3,  'pam_failure',         true),
    (4,  'max_attempts',        true),
    (5,  'too_many_failures',   true),
    (6,  'preauth_close',       true),
    (7,  'preauth_disconnect',  true),
    (8,  'preauth_reset',       true),
    (9,  'received_disconnect', true),
    (10, 'negotiation_failed',  true),
    (11, 'no_identification',   true),
    (12, 'banner_invalid',      true),
    (13, 'bad_protocol',        true),
    (14, 'kex_identification',  true),
    (15, 'protocol_error',      true),
    (16, 'not_allowed',         true),
    (17, 'root_refused',        true),
    (18, 'auth_timeout',        true),
    (19, 'refused_connect',     true),
    (20, 'reverse_mapping',     true),
    (21, 'connection_closed',   true),
    (22, 'disconnected',        true),
    (23, 'connection_reset',    true),
    (24, 'connection',          false),
    (25, 'accepted',            false);

-- Every recognised sshd line, one row a line, as codes. A "message repeated
-- N times" line is one row with repeat = N. The *_id columns point into dict
-- (0: none).
CREATE TABLE event_rows (
    ts            TIMESTAMPTZ NOT NULL,
    host_id       UINTEGER NOT NULL,
    pid           INTEGER  NOT NULL,  -- 0: none
    kind_id       UTINYINT NOT NULL,  -- kinds.id
    method_id     UINTEGER NOT NULL,
    user_id       UINTEGER NOT NULL,
    invalid_user  BOOLEAN  NOT NULL,
    ip_id         UINTEGER NOT NULL,
    port          INTEGER  NOT NULL,  -- the client's source port; 0: none
    repeat        INTEGER  NOT NULL,
    source_id     INTEGER  NOT NULL,  -- sources.id
    line          BIGINT   NOT NULL,  -- line number in that source
    key           UBIGINT  NOT NULL   -- hash of host, time, pid and message: drops overlaps between sources
);

-- Every recognised sshd line with its strings.
CREATE VIEW events AS
SELECT e.ts,
       h.value              AS host,
       nullif(e.pid, 0)     AS pid,
       k.name               AS kind,
       m.value              AS method,
       u.value              AS username,   -- exactly as logged: attacker-controlled text
       e.invalid_user,
       a.value              AS ip,         -- ::ffff:a.b.c.d is stored as a.b.c.d
       nullif(e.port, 0)    AS port,
       e.repeat,
       e.source_id,
       e.line
FROM event_rows AS e
JOIN kinds AS k ON k.id = e.kind_id
LEFT JOIN dict AS h ON h.id = e.host_id
LEFT JOIN dict AS m ON m.id = e.method_id
LEFT JOIN dict AS u ON u.id = e.user_id
LEFT JOIN dict AS a ON a.id = e.ip_id;

-- One row per failed authentication attempt: each "Failed <method>" line,
-- a repeated line counting as many times as it was repeated.
CREATE VIEW failed_logins AS
SELECT e.ts,
       h.value                       AS host,
       u.value                       AS username,
       a.value                       AS ip,
       CAST(nullif(e.port, 0) AS INTEGER) AS port,
       m.value                       AS method
FROM event_rows AS e
CROSS JOIN range(e.repeat) AS r(i)
LEFT JOIN dict AS h ON h.id = e.host_id
LEFT JOIN dict AS u ON u.id = e.user_id
LEFT JOIN dict AS a ON a.id = e.ip_id
LEFT JOIN dict AS m ON m.id = e.method_id
WHERE e.kind_id = (SELECT id FROM kinds WHERE name = 'failed');

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
