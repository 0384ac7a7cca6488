-- knockmap forget: the source $1 itself, so that its first line is new
-- again. forget also records the rows it dropped as an ingest of -N new
-- rows: sql/ingest/unaccounted.sql compares the rows with the ingests'
-- sum, and must stay exact for the repair after a crash.
DELETE FROM sources WHERE id = $1
