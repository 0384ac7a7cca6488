package store

// The sizes the store works with; docs/performance.md ("Why the knobs are
// set as they are") has the measurements behind them.

// RowGroupRows is the number of rows DuckDB keeps together in the file
// (its row group), half its default of 122,880: an ingest writes each full
// group into the file while it reads on, so smaller groups leave less for
// after the commit. The ingest's batches fill whole groups (load.BatchRows
// is two). The file is about 7% larger.
const RowGroupRows = 61440

// DefaultMemoryLimit is DuckDB's memory limit when neither Options nor
// KNOCKMAP_MEMORY_LIMIT sets one, but for a Confined database (someone
// else's SQL, knockmap query), which gets DuckDB's own default: some
// aggregates (the connections view's ordered lists) cannot spill, and a
// query of the user's should not fail for a limit the user did not set.
// DuckDB's own default is 80% of the machine's memory, and a query over a
// long history took that much (1.35 GB for the logins view over 7.9M
// rows); past the limit DuckDB spills to the database's .tmp folder. 128
// MB was as fast for the report, but the connections view over 40k lines
// ran out of it.
const DefaultMemoryLimit = "200MB"
