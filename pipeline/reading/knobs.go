package reading

import "time"

// The sizes reading works with, together; docs/performance.md ("Why the
// knobs are set as they are") has the measurements behind them.

// MaxLine is the longest line read; longer ones are reported and skipped,
// so that one hostile line cannot hold a reader's memory.
const MaxLine = 64 << 10

// SettledAfter is how long a file must have gone unmodified before a last
// line without a newline is taken as complete (syslog writes whole lines,
// so an unfinished one exists only for a moment).
const SettledAfter = time.Minute

// maxWarnings is how many problems are reported one by one for each file
// (and kept in Stats.BadLines): a log of garbage says so once, not per line.
const maxWarnings = 10

// maxHosts is how many hosts previousLines remembers before it starts
// afresh: the host is the sender's word, so the table must not grow with it.
const maxHosts = 4096

// mapWindow is how much of a file scanMapped maps at a time: the pages of
// a mapping count in the process's resident memory, so it is mapped a
// window at a time, never whole. A variable, so that tests cross windows.
var mapWindow int64 = 4 << 20

// skipBuffer is the buffer skipTo reads a compressed file through on the
// way to its offset: large enough that the gzip reader, not the calls,
// sets the pace.
const skipBuffer = 256 << 10
