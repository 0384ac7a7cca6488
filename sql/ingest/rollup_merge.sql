-- Adds the sums in rollup_batch (day, key, attempts: one row per day and
-- key) to the rollup {rollup} (sql/0017_rollups.sql), whose key column is
-- {key}: pipeline/load fills {rollup} and {key} in. rollup_batch is a
-- temporary table of an ingest's sums (copied from pipeline/load's Arrow
-- record) or of the negative sums of a source that `knockmap forget`
-- drops (sql/ingest/forget_rollup.sql).
-- A key already there is added to, a new one inserted, and a sum that
-- comes to 0 removed; only the days from the batch's first on are looked
-- at, so a night touches its own days.
UPDATE {rollup} AS r SET attempts = r.attempts + b.attempts
FROM rollup_batch AS b
WHERE r.day = b.day AND r.{key} = b.key
  AND r.day >= (SELECT min(day) FROM rollup_batch);
INSERT INTO {rollup}
SELECT b.day, b.key, b.attempts
FROM rollup_batch AS b
WHERE NOT EXISTS (
    SELECT 1 FROM {rollup} AS r
    WHERE r.day = b.day AND r.{key} = b.key
      AND r.day >= (SELECT min(day) FROM rollup_batch)
);
DELETE FROM {rollup}
WHERE attempts = 0 AND day >= (SELECT min(day) FROM rollup_batch);
