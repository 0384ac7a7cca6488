package load

// The sizes the loader works with, together; docs/performance.md ("Why
// the knobs are set as they are") has the measurements behind them.

// BatchRows is how many events go into one Arrow record batch at most:
// two of the row groups knockmap has DuckDB write (store.RowGroupRows),
// since DuckDB loads batches that fill whole row groups fastest.
// FirstBatchRows is the size of the first batch of a run, small so that
// DuckDB starts loading while the rest of the file is still being parsed.
const (
	BatchRows      = 122880
	FirstBatchRows = 15360
)

// keptStrings is how many bytes of new strings Insert keeps before it
// writes them: it bounds the memory they take, and the 32-bit offsets of
// the Arrow record they go in.
const keptStrings = 64 << 20

// keptAddrs is how many connection addresses Insert keeps before it
// writes them (8 bytes each), bounding their memory as keptStrings does.
const keptAddrs = 1 << 20
