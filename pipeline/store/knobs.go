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
// KNOCKMAP_MEMORY_LIMIT sets one. DuckDB's own default is 80% of the
// machine's memory; past the limit DuckDB spills to the database's .tmp
// folder. Over 10.5M attempts (BENCHMARKS.md) 128 MB is as fast as 200 for
// the report (5.7-6.0 s) and keeps it at 299-344 MB resident against
// 375-468; forget takes 7.2 s instead of 3.4. The logins view computed
// from every row needs about 100 MB (it fails at 96). Some aggregates
// cannot spill (the connections view's ordered lists: `SELECT * FROM
// connections ORDER BY attempts DESC LIMIT 20` over 10.5M attempts runs
// out of 300 MB), so knockmap query runs a query that runs out under this
// limit again under DuckDB's own (OwnMemoryLimit), unless the user set
// KNOCKMAP_MEMORY_LIMIT.
const DefaultMemoryLimit = "128MB"
