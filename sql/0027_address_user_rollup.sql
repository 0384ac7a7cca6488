-- knockmap schema 27: the failed attempts of each (address, username)
-- pair, kept at ingest.
--
-- Finding campaigns (pipeline/campaign, sql/campaign/pairs.sql) needs
-- every address's set of usernames tried, and read them each night as
-- the distinct pairs of every failed row: 0.3 s of a night over a 1 GB
-- log, for 138,000 pairs among 3 million rows. rollup_address_users holds
-- one row a pair, summed over all time (repeats counted), no row for a
-- sum of 0; ids into dict as in event_rows (0: none). pipeline/load adds
-- each ingest's sums in its transaction (sql/ingest/pair_merge.sql),
-- `knockmap forget` takes away those of the rows it drops
-- (sql/ingest/forget_pairs.sql), sql/ingest/rollup_rebuild.sql makes it
-- anew from every row, as this file does for the rows loaded before it.
CREATE TABLE IF NOT EXISTS rollup_address_users (
    ip_id         UINTEGER NOT NULL,
    user_id       UINTEGER NOT NULL,
    attempts      BIGINT   NOT NULL
);
DELETE FROM rollup_address_users;
INSERT INTO rollup_address_users
SELECT ip_id, user_id, sum(repeat) FROM event_rows
WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL;
