package store

// The sizes the store works with; docs/performance.md ("Why the knobs are
// set as they are") has the measurements behind them.

// RowGroupRows is the number of rows DuckDB keeps together in the file
// (its row group), half its default of 122,880: an ingest writes each full
// group into the file while it reads on, so smaller groups leave less for
// after the commit. The ingest's batches fill whole groups (load.BatchRows
// is two). The file is about 7% larger.
const RowGroupRows = 61440
