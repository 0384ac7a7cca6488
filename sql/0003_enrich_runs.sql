-- knockmap schema 3: what each enrich saw.
--
-- One row per enrich that committed: how many event rows there were when
-- it looked for addresses. An enrich that finds the same number as the
-- last one has nothing new to look at and skips the scan of every row
-- (a night with nothing new stays fast on a large database).

CREATE TABLE enrich_runs (
    started    TIMESTAMPTZ NOT NULL,
    rows_seen  BIGINT      NOT NULL,  -- count(*) of event_rows it looked at
    lookups    INTEGER     NOT NULL,  -- addresses it answered
    refresh    BOOLEAN     NOT NULL   -- every address answered again
);
