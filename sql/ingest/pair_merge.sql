-- Adds the sums in pair_batch (ip_id, user_id, attempts: one row a pair)
-- to rollup_address_users (sql/0027_address_user_rollup.sql). pair_batch
-- is a temporary table of an ingest's sums (copied from pipeline/load's
-- Arrow record) or of the negative sums of a source that `knockmap
-- forget` drops (sql/ingest/forget_pairs.sql). A pair already there is
-- added to, a new one inserted, and a sum that comes to 0 removed.
UPDATE rollup_address_users AS r SET attempts = r.attempts + b.attempts
FROM pair_batch AS b
WHERE r.ip_id = b.ip_id AND r.user_id = b.user_id;
INSERT INTO rollup_address_users
SELECT b.ip_id, b.user_id, b.attempts
FROM pair_batch AS b
WHERE NOT EXISTS (
    SELECT 1 FROM rollup_address_users AS r
    WHERE r.ip_id = b.ip_id AND r.user_id = b.user_id
);
DELETE FROM rollup_address_users
WHERE attempts = 0 AND (ip_id, user_id) IN (SELECT (ip_id, user_id) FROM pair_batch);
