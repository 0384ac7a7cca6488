-- knockmap schema 34: the failed attempts per UTC day and client source
-- port, kept beside the fingerprint's sums.
--
-- The report ranks the period's source ports and counts the top ones per
-- bucket of the page (sql/report/port_ranks.sql, page_cells.sql) from the
-- rows: over 8 copies of gen-authlog's 1M-line log that read the port,
-- time stamp and kind of every one of 8M rows, twice, about a third of a
-- second of a night whose log grew by 1%. schema 19 dropped a rollup of
-- them kept at ingest, which cost a fifth of the rollups' time there. A
-- day rarely sees a port twice, so these sums hold about half a row an
-- attempt, but three narrow columns of them are read in a fifth of the
-- time of the rows' columns.
--
-- port_days is kept as fingerprint_days is (sql/0030_fingerprint_days.sql,
-- pipeline/report's Fingerprint, sql/report/fingerprint_refresh.sql): the
-- lines each source read since fingerprint_sources counted them are added,
-- and every sum is made anew when a source it counted is gone or has fewer
-- lines. Rows are only added, so a day and port can have several rows;
-- readers sum them. port_days_kept says whether they hold every failed
-- attempt of the database (every source counted, with the lines it has
-- now); when not, as after an ingest the report was not drawn after, the
-- report reads the rows as before.
CREATE TABLE IF NOT EXISTS port_days (
    day           DATE     NOT NULL,
    port          INTEGER  NOT NULL,
    attempts      BIGINT   NOT NULL
);

CREATE OR REPLACE VIEW port_days_kept AS
SELECT EXISTS (SELECT 1 FROM fingerprint_sources)
       AND NOT EXISTS (SELECT 1 FROM fingerprint_sources AS f FULL JOIN sources AS s ON s.id = f.source_id
                       WHERE f.source_id IS NULL OR s.id IS NULL OR s.lines <> f.lines) AS kept;

-- The kept sums of an older database hold no port: all of them are made
-- anew, from every row, the next time the report's fingerprint is taken.
DELETE FROM fingerprint_days;
DELETE FROM fingerprint_addresses;
DELETE FROM fingerprint_sources;
