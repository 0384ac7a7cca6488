-- knockmap schema 4: no views of Arrow batches.
--
-- Loading reads each Arrow batch through a view (batch, dict_batch,
-- geo_batch) that DuckDB makes in this schema, not as a temporary view.
-- Up to schema 3 knockmap left the last of them in the database, where
-- they point at memory of a process that is gone: reading one crashed the
-- reader. Loading now drops each view after its statement; this drops
-- those left by earlier versions.

DROP VIEW IF EXISTS batch;
DROP VIEW IF EXISTS dict_batch;
DROP VIEW IF EXISTS geo_batch;
