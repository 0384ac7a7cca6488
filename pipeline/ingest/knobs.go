package ingest

// The sizes an ingest works with, together; docs/performance.md ("Why the
// knobs are set as they are") has the measurements behind them. The
// batches' own sizes are pipeline/load's (load.BatchRows,
// load.FirstBatchRows), the row group's pipeline/store's
// (store.RowGroupRows), the line's pipeline/reading's (reading.MaxLine).

// ingestMemoryLimit is DuckDB's memory limit while loading, unless
// KNOCKMAP_MEMORY_LIMIT sets one for everything: loading never reads back
// the blocks it writes, so a small limit costs no time and bounds the
// ingest's memory. Under 64 MB rather than 128 the reading of the first
// night over 10.5M attempts peaked at 299-321 MB instead of 370-403, as
// fast; the 1M-line ingest and the 1%-grown night took as long.
const ingestMemoryLimit = "64MB"

// tailRows is the size of the batches near the end of a file (tailLimit):
// half a row group, so that little is left for DuckDB to load after the
// last line is read.
const tailRows = 30720

// Sizes of a parsed block (parsed): at most parsedRows rows, and it is
// full once its strings pass parsedText bytes; small enough that the two
// halves of the reading hand blocks on often, large enough that handing
// them on costs nothing.
const (
	parsedRows = 2048
	parsedText = 256 << 10
)

// How many parsed blocks a source's reading has (blocksPooled), and how
// many may wait for the filling (blocksQueued): the reading runs ahead of
// the filling by at most a block or two, in fixed memory.
const (
	blocksPooled = 3
	blocksQueued = 2
)

// How many batches an ingest has (batchesPooled), and how many messages
// may wait for the loading (messagesQueued): one batch is filled while one
// is loaded and one waits, and no more are held.
const (
	batchesPooled  = 3
	messagesQueued = 2
)

// sumsFlushAt is how many rollup sums (a day and key each: address,
// username, hour; and an (address, username) pair each) the reading holds
// before the loader writes them into the rollups, in the same transaction
// (load.Loader.FlushSums): 16 bytes each, counted before they are added
// up by key as well as after (load's sums add them up when the new ones
// are as many as the old). gen-authlog's 1M-line log makes about 400k
// and is never flushed; a new 2 GB log made 4M, 122 MB held to the commit
// when they were Go map entries and never flushed. (A variable, so that
// a test can flush every few sums.)
var sumsFlushAt = 1 << 20
