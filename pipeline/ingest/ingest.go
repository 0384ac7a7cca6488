// Package ingest loads sshd auth logs into knockmap's database, exactly
// once: each source is read from where the last run left it
// (pipeline/reading), and its new events are loaded into DuckDB in one
// transaction. Ingest is its one entry point for loading: it decides
// whether the database is new, what DuckDB is opened with and whether
// the year scan runs ahead.
//
// One ingest runs these goroutines, joined by these channels (capacity in
// brackets); a block and a batch go round their pair of channels, so the
// memory they take is fixed:
//
//	          +-----------------------------------------+
//	          | prescan (a new database only): the New  |
//	          | Years of each year-less log, in order   |
//	          +-----------------------------------------+
//	                 | the source's scan, waited for
//	                 v
//	+---------------------------------------------------+
//	| reading (reader.run): for each source, in order,  |
//	| reading.ReadSource parses its lines into blocks   |
//	+---------------------------------------------------+
//	   | full             ^ empty              | msgs: the
//	   | *parsed [2]      | *parsed [3]        | source done,
//	   v                  |                    | its cursor
//	+----------------------------------+       |
//	| filling (reader.fill, one for    |       |
//	| each source): keys the rows,     |       |
//	| joins them to connections, codes |       |
//	| them into Arrow batches          |       |
//	+----------------------------------+       |
//	   | msgs             ^ pool               |
//	   | message [2]      | *load.Batch [3]    |
//	   v                  |                    v
//	+---------------------------------------------------+
//	| loading (the caller's goroutine, run): opens the  |
//	| database (meanwhile, when it is new), inserts     |
//	| each batch (load.Loader), records each finished   |
//	| source; at the end commits and checkpoints        |
//	+---------------------------------------------------+
//	   | kick, after each batch
//	   | struct{} [1]
//	   v
//	+---------------------------------------------------+
//	| write-back (pipeline/load): syncs the database's  |
//	| file while the reading goes on                    |
//	+---------------------------------------------------+
//
// An error anywhere cancels the others; loading drains msgs so that no
// goroutine is left waiting, and rolls everything back. The sizes of the
// blocks, batches and queues are in knobs.go.
package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/reading"
	"github.com/knockmap/knockmap/pipeline/store"
)

// Options tune an ingest.
type Options struct {
	Location *time.Location // zone of year-less and zone-less stamps; nil: local
	Year     int            // year of each file's last line for year-less stamps; 0: from the file's mtime
	Host     string         // when set, stored as the host of every event of a source that names none (input.Source.Host)
	Warn     io.Writer      // where problems with single lines are reported; nil: nowhere
	Now      func() time.Time
	// Progress, when set, is told how many more bytes were read, every
	// few thousand lines and at the end of each source.
	Progress func(bytes int64)
	// Left, when set, is told as each source starts how many bytes of it
	// are left to read; -1 when that is not known (a compressed one).
	Left func(bytes int64)
	// Wait is how long to wait for another process that has the database
	// open (store.OpenWaiting).
	Wait time.Duration
	// Opened, when set, is called with the database as soon as it is open,
	// before anything is loaded (a snapshot of what it held).
	Opened func(ctx context.Context, db *sql.DB) error
	// Then, when set, is called with the database after a load that
	// committed, before Ingest closes it: the steps that follow the load
	// (locating the new addresses, a report) without opening DuckDB again.
	Then func(ctx context.Context, db *store.DB, st *Stats) error
	// ThenQueries says that Then wants DuckDB's own threads and memory (a
	// report): the database is opened with them and the loading settings
	// are set around the load and put back. Otherwise it is opened with
	// the loading settings, which stay (locating takes as long either way).
	ThenQueries bool
	// Into, when set, is a database the caller holds open (a test of a
	// later stage): Ingest loads into it as it is, without opening dbPath,
	// and leaves it open.
	Into *store.DB

	prescan *prescans // the year scans running ahead: Ingest's to start
}

// readOptions is what opt says about reading.
func (opt Options) readOptions() reading.Options {
	return reading.Options{Location: opt.Location, Year: opt.Year, Warn: opt.Warn, Now: opt.Now,
		Progress: opt.Progress, Prescanned: opt.prescan.result}
}

// Stats say what reading and loading did.
type Stats struct {
	reading.Stats
	NewRows    int64         `json:"new_rows"`   // rows added to events
	Duplicates int64         `json:"duplicates"` // rows dropped because another source had loaded them
	Escaped    int64         `json:"escaped"`    // rows loaded with a string that was not valid UTF-8, stored escaped (load.Escape)
	Elapsed    time.Duration `json:"elapsed_ns"`
	FileErrors []error       `json:"-"`         // sources that could not be read at all, or only in part
	NotReady   int           `json:"not_ready"` // sources passed over because their first line is not complete yet
}

func newStats() *Stats { return &Stats{Stats: *reading.NewStats()} }

// Ingest loads the sources into the database at dbPath, making it when
// there is none: then the reading starts while DuckDB makes it, and the
// year-less logs' New Years are counted meanwhile. Problems with single
// lines go to opt.Warn and are counted; a source that cannot be read is
// recorded in Stats.FileErrors and the others are still loaded.
//
// An error from opening the database, or from opt.Opened or opt.Then, is
// returned as it is; any other error means that nothing was loaded, and
// the space the failed load took in the file is given back
// (store.GiveBackSpace). Ingest takes no lock beyond DuckDB's own on the
// file: a caller that does more than load (knockmap run) holds its own.
func Ingest(ctx context.Context, dbPath string, sources []*input.Source, opt Options) (*Stats, error) {
	sources, notLogs := notTheDatabase(dbPath, sources)
	fresh := opt.Into == nil && isNew(dbPath)
	if fresh {
		opt.prescan = prescanAll(sources) // every source of a new database is read from its start
	}
	defer opt.prescan.Stop()
	storeOpt := loadingStore()
	if opt.ThenQueries {
		storeOpt = store.Options{}
	}
	db := opt.Into
	defer func() {
		if db != nil && db != opt.Into {
			db.Close()
		}
	}()
	var openErr error // from opening, or from opt.Opened: returned as it is
	open := func() (*sql.DB, error) {
		var err error
		if db == nil {
			if db, err = store.OpenWaiting(ctx, dbPath, storeOpt, opt.Wait); err != nil {
				openErr = err
				return nil, err
			}
		}
		if opt.Opened != nil {
			if err := opt.Opened(ctx, db.DB); err != nil {
				openErr = err
				return nil, err
			}
		}
		return db.DB, nil
	}
	var st *Stats
	var err error
	if fresh {
		st, err = loadNew(ctx, open, sources, opt)
	} else if _, err = open(); err == nil {
		st, err = loadExisting(ctx, db.DB, sources, opt)
	}
	if err != nil && openErr != nil {
		return nil, openErr
	}
	if err != nil {
		return nil, fmt.Errorf("ingest failed, nothing was loaded: %w", err)
	}
	st.FileErrors = append(notLogs, st.FileErrors...)
	if opt.Then != nil {
		return st, opt.Then(ctx, db, st)
	}
	return st, nil
}

// notTheDatabase drops from sources the database's own file and its
// write-ahead log, each with an error naming it (knockmap ingest
// knockmap.duckdb, with --db forgotten): read as a log it would give only
// bad lines, and reading it would close a descriptor of the file this
// process has open in DuckDB, which drops DuckDB's lock on it (see
// pipeline/load's writeback.go). A source is only stat'ed here.
func notTheDatabase(dbPath string, sources []*input.Source) ([]*input.Source, []error) {
	var own []os.FileInfo
	for _, p := range []string{dbPath, dbPath + ".wal"} {
		if st, err := os.Stat(p); err == nil {
			own = append(own, st)
		}
	}
	if len(own) == 0 {
		return sources, nil
	}
	kept := sources[:0:0]
	var errs []error
	for _, s := range sources {
		st, err := os.Stat(s.Path)
		isOwn := false
		for _, o := range own {
			isOwn = isOwn || (err == nil && os.SameFile(st, o))
		}
		if isOwn {
			errs = append(errs, fmt.Errorf("%s is knockmap's database (or its write-ahead log), not a log: not read", s.Name))
			continue
		}
		kept = append(kept, s)
	}
	return kept, errs
}

// loadingStore is what a database is opened with when nothing after the
// load needs more of DuckDB: its loading thread count and memory limit,
// so that loadSettings has neither to change and put back.
func loadingStore() store.Options {
	return store.Options{Threads: 1, MemoryLimit: loadingMemoryLimit()}
}

// loadingMemoryLimit is DuckDB's memory limit while loading: none of its
// own when KNOCKMAP_MEMORY_LIMIT sets one for everything (store.Open
// applies that one).
func loadingMemoryLimit() string {
	if os.Getenv("KNOCKMAP_MEMORY_LIMIT") != "" {
		return ""
	}
	return ingestMemoryLimit
}
