-- The lines each source has, recorded by an enrich in the transaction
-- that stores its answers (sql/0032_enrich_sources.sql).
DELETE FROM enrich_sources;
INSERT INTO enrich_sources SELECT id, lines FROM sources;
