//go:build duckdb_arrow

// Package ingest runs the first half of knockmap's pipeline: it reads each
// source from where the last run left it, parses its lines into sshd
// events, and loads them into DuckDB in one transaction, exactly once.
package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/load"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/store"
	"github.com/knockmap/knockmap/pipeline/syslog"
	"github.com/knockmap/knockmap/sql"
)

// IngestMemoryLimit is DuckDB's memory limit while loading, unless
// KNOCKMAP_MEMORY_LIMIT sets one for everything.
const IngestMemoryLimit = "128MB"

// StoreOptions are what to open a database with for an ingest (knockmap
// ingest): DuckDB's loading thread count and memory limit, so that
// loadSettings has neither to change and put back.
func StoreOptions() store.Options {
	return store.Options{Threads: 1, MemoryLimit: loadingMemoryLimit()}
}

// loadingMemoryLimit is DuckDB's memory limit while loading: none of its
// own when KNOCKMAP_MEMORY_LIMIT sets one for everything (store.Open
// applies that one).
func loadingMemoryLimit() string {
	if os.Getenv("KNOCKMAP_MEMORY_LIMIT") != "" {
		return ""
	}
	return IngestMemoryLimit
}

// loading returns what DuckDB loads under, setting by setting (see
// loadSettings).
func loading() []setting {
	s := []setting{
		{"threads", "1"},
		{"force_compression", "bitpacking"},
		{"write_buffer_row_group_count", "1"},
		{"disabled_compression_methods", "fsst,dictionary,dict_fsst"},
	}
	if limit := loadingMemoryLimit(); limit != "" {
		s = append(s, setting{"memory_limit", limit})
	}
	return s
}

type setting struct{ name, value string }

// loadSettings sets DuckDB's threads, compression and memory limit for
// loading and returns what puts the earlier values back: SET with the
// values read before, since RESET leaves the memory limit low (the report
// after an ingest in `knockmap run` took 12 s instead of 8, in a quarter of
// the memory). The limit comes back as DuckDB prints it, rounded to three
// digits (18.8 GiB).
//
// DuckDB runs the inserts on one thread: with more, its client thread
// polls for tasks while a worker inserts, and takes the core the reading
// goroutine needs (1M lines: 0.58 s with 2 threads, 0.50 s with one, and a
// quarter less CPU time). It keeps the blocks it writes in its buffer pool
// up to its memory limit (80% of the machine's memory unless told);
// loading never reads them back, so a small limit costs no time and keeps
// the ingest of a 2 GB log under 300 MB resident. KNOCKMAP_MEMORY_LIMIT,
// when set, rules instead.
//
// Bitpacking for every column spares DuckDB trying each compression on
// each column of each row group: 1M lines load in 0.45 s instead of 0.48,
// into a file 8% larger (the event columns are small integers, which it
// packs well). FSST and dictionary compression are off for the checkpoint
// after the commit (see checkpoint): the dictionary's strings are stored
// as they are.
//
// DuckDB writes each row group into the file as soon as it is full, not
// five at a time (write_buffer_row_group_count): what it holds back is
// written by the commit, after the last line is read, when nothing else
// runs beside it (1M lines: the commit took 84 ms, now 46).
//
// A setting is changed, and put back, only when it differs: changing the
// threads starts or stops DuckDB's worker threads, 3 to 4 ms each way, and
// raising the memory limit back after a load took 3.2 ms. knockmap ingest
// opens the database with StoreOptions, and pays neither.
func loadSettings(ctx context.Context, db *sql.DB) (func(), error) {
	settings := loading()
	current := make([]string, len(settings))
	dest := make([]any, len(settings))
	cols := make([]string, len(settings))
	for i, s := range settings {
		dest[i] = &current[i]
		cols[i] = "current_setting('" + s.name + "')::VARCHAR"
	}
	if err := db.QueryRowContext(ctx, "SELECT "+strings.Join(cols, ", ")).Scan(dest...); err != nil {
		return nil, err
	}
	var set, back []string
	for i, s := range settings {
		was := current[i]
		if sameSetting(s.name, was, s.value) {
			continue
		}
		set = append(set, setSQL(s.name, s.value))
		back = append(back, setSQL(s.name, was))
	}
	restore := func() {
		for _, q := range back {
			db.ExecContext(context.Background(), q)
		}
	}
	for _, q := range set {
		if _, err := db.ExecContext(ctx, q); err != nil {
			restore()
			return nil, err
		}
	}
	return restore, nil
}

// sameSetting reports whether a and b are the same value of setting name:
// a memory limit as DuckDB prints it ("122.0 MiB") and as it was given
// ("128MB") within 1%, anything else alike but for case.
func sameSetting(name, a, b string) bool {
	if name == "memory_limit" {
		x, okA := store.ParseSize(a)
		y, okB := store.ParseSize(b)
		return okA && okB && y > 0 && math.Abs(x/y-1) < 0.01
	}
	return strings.EqualFold(a, b)
}

func setSQL(name, value string) string {
	return "SET " + name + " = '" + strings.ReplaceAll(value, "'", "''") + "'"
}

// sourceState is what the sources table holds about one input.
type sourceState struct {
	id          int32
	fingerprint string
	path        string
	offset      int64
	lines       int64
	year, month int
	firstTS     int64
	lastTS      int64
	known       bool // a row exists in the sources table
}

// message goes from the reading goroutine to the loading one: a batch to
// insert, or a source that is finished and whose state is to be saved.
type message struct {
	batch  *load.Batch
	source *sourceState
	dedup  bool // another source has rows in the batch's time range
	done   bool
}

// Run ingests the sources into db. Problems with single lines go to
// opt.Warn and are counted; a source that cannot be read is recorded in
// Stats.FileErrors and the others are still loaded. An error return means
// nothing was written.
//
// A failed ingest gives back the space its rows took in the database file
// (store.GiveBackSpace): one that filled the disk leaves it as it found it.
func Run(ctx context.Context, db *sql.DB, sources []*input.Source, opt Options) (*Stats, error) {
	st, err := run(ctx, func() (*sql.DB, error) { return db, nil }, false, sources, opt)
	if err != nil {
		giveBackSpace(db, opt.Warn)
	}
	return st, err
}

// giveBackSpace is store.GiveBackSpace after a failed ingest, which has
// rolled back; even when the run was interrupted, and a failure is only
// a warning: the ingest's own error is what the caller is told.
func giveBackSpace(db *sql.DB, warn io.Writer) {
	if err := store.GiveBackSpace(context.Background(), db); err != nil && warn != nil {
		fmt.Fprintf(warn, "knockmap: warning: %v\n", err)
	}
}

// RunNew is Run into a database that does not exist yet: open makes it,
// and the reading starts meanwhile, since a new database has no sources
// and no strings that the first batches would need (DuckDB takes about as
// long to start as the first 60,000 lines take to read). If the database
// turns out to hold something after all (another knockmap made it in
// between), what was read is dropped and Run starts on it.
func RunNew(ctx context.Context, open func() (*sql.DB, error), sources []*input.Source, opt Options) (*Stats, error) {
	var db *sql.DB
	st, err := run(ctx, func() (*sql.DB, error) {
		var err error
		db, err = open()
		return db, err
	}, true, sources, opt)
	if errors.Is(err, errNotNew) {
		return Run(ctx, db, sources, opt)
	}
	if err != nil && db != nil {
		giveBackSpace(db, opt.Warn)
	}
	return st, err
}

// errNotNew says that the database RunNew was to make holds something.
var errNotNew = errors.New("the database is not new")

func run(ctx context.Context, open func() (*sql.DB, error), fresh bool, sources []*input.Source, opt Options) (*Stats, error) {
	start := time.Now()
	if opt.Location == nil {
		opt.Location = time.Local
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	defer opt.Prescan.Stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	msgs := make(chan message, 2)
	pool := make(chan *load.Batch, 3)
	for i := 0; i < cap(pool); i++ {
		pool <- new(load.Batch)
	}
	r := &reader{opt: opt, msgs: msgs, pool: pool, stats: NewStats()}
	readErr := make(chan error, 1)
	startReading := func() {
		go func() {
			defer close(msgs)
			readErr <- r.run(ctx, sources)
		}()
	}
	stopReading := func() {
		cancel()
		for range msgs {
		}
		<-readErr
	}
	if fresh {
		r.states, r.nextID, r.dict = map[string]*sourceState{}, 1, load.NewDict()
		startReading()
	}
	db, err := open()
	if err != nil {
		if fresh {
			stopReading()
		}
		return nil, err
	}

	restore, err := loadSettings(ctx, db) // one thread, a small memory limit: see there
	if err != nil {
		if fresh {
			stopReading()
		}
		return nil, err
	}
	defer restore()
	ld, err := load.Begin(ctx, db)
	if err != nil {
		if fresh {
			stopReading()
		}
		return nil, err
	}
	defer ld.Rollback()
	if fresh {
		// the reading has begun as if the database were empty: make sure
		var held int64
		if err := ld.Conn().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM sources) + (SELECT count(*) FROM dict) + (SELECT count(*) FROM event_rows)`).Scan(&held); err != nil || held > 0 {
			stopReading()
			if err == nil {
				err = errNotNew
			}
			return nil, err
		}
	} else {
		if err := repair(ctx, ld.Conn(), opt.Warn); err != nil {
			return nil, err
		}
		if r.states, r.nextID, err = loadStates(ctx, ld.Conn()); err != nil {
			return nil, err
		}
		// The dictionary is read when a source first has something new: a
		// night with nothing new does not read it (it holds every address
		// and username ever seen). The reader reads it on the loader's
		// connection before it has sent anything, while this goroutine
		// only waits.
		r.loadDict = func() (*load.Dict, error) { return ld.Dict(ctx) }
		startReading()
	}

	st := r.stats
	var loadErr error
	for m := range msgs {
		if loadErr != nil {
			continue // drain so the reader can stop
		}
		if m.batch != nil {
			if err := store.Room(ctx, db); err != nil {
				loadErr = fmt.Errorf("stopping before the disk is full, nothing was loaded: %w", err)
				cancel()
				continue
			}
			n, err := ld.Insert(ctx, m.batch, m.source.id, m.dedup)
			st.NewRows += n
			st.Duplicates += int64(m.batch.Len()) - n
			m.batch.Reset()
			pool <- m.batch
			if err != nil {
				loadErr = err
				cancel()
				continue
			}
		}
		if m.done {
			if err := saveState(ctx, ld.Conn(), m.source, opt.Now()); err != nil {
				loadErr = err
				cancel()
			}
		}
	}
	if err := <-readErr; err != nil && loadErr == nil {
		loadErr = err
	}
	if loadErr != nil {
		return nil, loadErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st.Elapsed = time.Since(start)
	if _, err := ld.Conn().ExecContext(ctx, `INSERT INTO ingest_runs VALUES (?, ?, ?, ?, ?, ?, ?)`,
		start, opt.Now(), st.Files, st.Lines, st.NewRows, st.Skipped, st.Bad); err != nil {
		return nil, err
	}
	if err := ld.Commit(ctx); err != nil {
		return nil, fmt.Errorf("committing: %w", err)
	}
	if st.NewRows > 0 {
		checkpoint(ctx, db, opt.Warn)
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// checkpoint writes what the ingest committed into the database file
// (the commit wrote the last rows and the new strings to DuckDB's
// write-ahead log), while the load settings still hold: DuckDB leaves the
// strings uncompressed instead of trying FSST and dictionary compression
// on them, as it does when the database is closed. On 100k lines the
// ingest took 185 ms with the checkpoint in the close, 172 ms with it here
// (16 runs side by side); the dictionary of a million lines (12,051
// strings, 162 KB) is stored as it is. The rows are committed already: if
// the checkpoint fails or is interrupted, DuckDB does it on a later close.
func checkpoint(ctx context.Context, db *sql.DB, warn io.Writer) {
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil && ctx.Err() == nil && warn != nil {
		fmt.Fprintf(warn, "checkpoint after the commit: %v (the rows are loaded)\n", err)
	}
}

var (
	unaccounted = sqlfiles.Statement("ingest/unaccounted")
	repairRows  = sqlfiles.Statement("ingest/repair")
)

// repair drops event rows that a crash left behind without the ingest
// that wrote them, so that reading their source again does not load them
// twice; it costs two counts when there are none.
func repair(ctx context.Context, conn *sql.Conn, warn io.Writer) error {
	var extra int64
	if err := conn.QueryRowContext(ctx, unaccounted).Scan(&extra); err != nil {
		return err
	}
	if extra <= 0 {
		return nil
	}
	res, err := conn.ExecContext(ctx, repairRows)
	if err != nil {
		return fmt.Errorf("dropping %d rows an interrupted ingest left: %w", extra, err)
	}
	if n, _ := res.RowsAffected(); n > 0 && warn != nil {
		fmt.Fprintf(warn, "knockmap: dropped %d rows that an interrupted ingest had left behind\n", n)
	}
	return nil
}

func loadStates(ctx context.Context, conn *sql.Conn) (map[string]*sourceState, int32, error) {
	rows, err := conn.QueryContext(ctx, `SELECT id, fingerprint, path, offset_bytes, lines, coalesce(year, 0), coalesce(month, 0),
		coalesce(epoch_us(first_ts), 0), coalesce(epoch_us(last_ts), 0) FROM sources`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	states := map[string]*sourceState{}
	var next int32 = 1
	for rows.Next() {
		s := &sourceState{known: true}
		if err := rows.Scan(&s.id, &s.fingerprint, &s.path, &s.offset, &s.lines, &s.year, &s.month, &s.firstTS, &s.lastTS); err != nil {
			return nil, 0, err
		}
		states[s.fingerprint] = s
		if s.id >= next {
			next = s.id + 1
		}
	}
	return states, next, rows.Err()
}

func saveState(ctx context.Context, conn *sql.Conn, s *sourceState, now time.Time) error {
	var first, last any
	if s.lastTS != 0 {
		first, last = time.UnixMicro(s.firstTS).UTC(), time.UnixMicro(s.lastTS).UTC()
	}
	var year, month any
	if s.month != 0 {
		year, month = s.year, s.month
	}
	var err error
	if !s.known {
		_, err = conn.ExecContext(ctx, `INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.id, s.fingerprint, s.path, s.offset, s.lines, year, month, first, last, now, now)
		s.known = true
	} else {
		_, err = conn.ExecContext(ctx, `UPDATE sources SET path = ?, offset_bytes = ?, lines = ?, year = ?, month = ?,
			first_ts = ?, last_ts = ?, last_read = ? WHERE id = ?`,
			s.path, s.offset, s.lines, year, month, first, last, now, s.id)
	}
	if err != nil {
		return fmt.Errorf("recording source %s: %w", s.path, err)
	}
	return nil
}

// overlaps reports whether a source other than st has rows between lo and
// hi, loaded before or in this run: only then can a batch of st hold rows
// that are loaded already.
func (r *reader) overlaps(st *sourceState, lo, hi int64) bool {
	for _, o := range r.states {
		if o != st && o.lastTS != 0 && o.firstTS <= hi && lo <= o.lastTS {
			return true
		}
	}
	return false
}

// dbError is a failure of the database, not of the source being read: it
// stops the ingest.
type dbError struct{ error }

func (e dbError) Unwrap() error { return e.error }

// reader is the reading half of Run: it runs in its own goroutine.
type reader struct {
	opt      Options
	dict     *load.Dict // nil until a source has something new
	loadDict func() (*load.Dict, error)
	states   map[string]*sourceState
	nextID   int32
	msgs     chan<- message
	pool     chan *load.Batch
	stats    *Stats
	sent     int // rows sent to the loader in this run
}

func (r *reader) run(ctx context.Context, sources []*input.Source) error {
	for _, src := range sources {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.source(ctx, src); err != nil {
			var de dbError
			if errors.Is(err, context.Canceled) || errors.As(err, &de) {
				return err
			}
			r.stats.FileErrors = append(r.stats.FileErrors, fmt.Errorf("%s: %w", src.Name, err))
		}
	}
	return nil
}

// source reads one input from where the last run left it. Two goroutines
// share the work: this one reads and parses the lines and hands them on in
// blocks, and fill codes their strings into batches for the loader (see
// parsed).
func (r *reader) source(ctx context.Context, src *input.Source) error {
	fp, first, ok, err := src.Fingerprint()
	if err != nil {
		return err
	}
	if !ok {
		r.stats.NotReady++
		return nil
	}
	st := r.states[fp]
	if st == nil {
		st = &sourceState{id: r.nextID, fingerprint: fp}
		r.nextID++
		r.states[fp] = st
	}
	st.path = src.Name
	if src.Name == "-" {
		st.path = "(stdin)"
	}
	if st.offset > 0 {
		r.opt.Prescan.Drop(src) // read before: no year scan needed
	}
	if !src.Compressed && st.offset >= src.Size {
		r.stats.Unchanged++
		return nil
	}
	if hint, ok := src.GzipSizeHint(); ok && st.offset > 0 && uint32(st.offset) == hint {
		r.stats.Unchanged++
		return nil
	}
	if r.dict == nil {
		if r.dict, err = r.loadDict(); err != nil {
			return dbError{fmt.Errorf("reading the strings the database holds: %w", err)}
		}
	}

	left := int64(-1) // bytes to read from where this run began; -1: not known
	if !src.Compressed {
		left = src.Size - st.offset
	}
	full := make(chan *parsed, 2)
	empty := make(chan *parsed, 3)
	for i := 0; i < cap(empty); i++ {
		empty <- new(parsed)
	}
	filled := make(chan error, 1)
	go func() { filled <- r.fill(ctx, st, left, full, empty) }()
	var (
		host []byte
		read int64
	)
	if r.opt.Host != "" {
		host = []byte(r.opt.Host)
	}
	blk := <-empty
	// hand gives blk to fill, after which it is fill's (blk is nil until
	// the next is taken): a block is never handed on twice, and the last
	// one is not followed by a wait for another.
	hand := func() error {
		blk.read = read
		select {
		case full <- blk:
			blk = nil
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	opt := r.opt
	opt.Progress = func(n int64) {
		read += n
		if r.opt.Progress != nil {
			r.opt.Progress(n)
		}
	}
	cur := Cursor{Offset: st.offset, Lines: st.lines, Year: st.year, Month: st.month}
	cur, err = ReadSource(ctx, src, first, cur, opt, r.stats, func(rec *syslog.Record, ev *sshd.Event, line int64) error {
		h := host
		if h == nil {
			h = rec.Host
		}
		blk.add(rec, ev, h, st.id, line)
		if !blk.full() {
			return nil
		}
		if err := hand(); err != nil {
			return err
		}
		select {
		case blk = <-empty:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	if blk != nil && len(blk.rows) > 0 {
		if herr := hand(); herr != nil && err == nil {
			err = herr
		}
	}
	close(full)
	if ferr := <-filled; ferr != nil {
		return ferr
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	// whatever was read before an error is still loaded and recorded
	st.offset, st.lines, st.year, st.month = cur.Offset, cur.Lines, cur.Year, cur.Month
	select {
	case r.msgs <- message{source: st, done: true}:
	case <-ctx.Done():
		return ctx.Err()
	}
	return err
}

// fill is the second half of source: it codes the parsed lines of st into
// batches and sends them to the loader, until full is closed. left is the
// number of bytes the source has left to read (-1: not known).
func (r *reader) fill(ctx context.Context, st *sourceState, left int64, full <-chan *parsed, empty chan<- *parsed) error {
	// Drain what is still sent after an error, so that the parsing half
	// never waits on a goroutine that has returned.
	defer func() {
		for blk := range full {
			empty <- blk
		}
	}()
	batch := <-r.pool
	limit := nextBatchRows(r.sent)
	// Near the end of a file, batches end on every boundary of tailRows
	// instead (see tailLimit): how far the reading is, in bytes and rows.
	var (
		read     int64
		keys     occurrences
		hostSeed hostHash
	)
	sent0 := r.sent
	tail := func(limit int) int {
		return tailLimit(limit, r.sent, batch.Len(), int64(r.sent-sent0+batch.Len()), read, left)
	}
	flush := func() error {
		if batch.Len() == 0 {
			return nil
		}
		r.sent += batch.Len()
		if st.firstTS == 0 || batch.MinTS < st.firstTS {
			st.firstTS = batch.MinTS
		}
		st.lastTS = max(st.lastTS, batch.MaxTS)
		select {
		case r.msgs <- message{batch: batch, source: st, dedup: r.overlaps(st, batch.MinTS, batch.MaxTS)}:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case batch = <-r.pool:
		case <-ctx.Done():
			return ctx.Err()
		}
		limit = tail(nextBatchRows(r.sent))
		return nil
	}
	for blk := range full {
		if blk.read != read {
			read = blk.read
			limit = tail(limit)
		}
		for i := range blk.rows {
			row := &blk.rows[i]
			row.Key = keys.key(row.TS, row.PID, hostSeed.of(row.Host), blk.msgs[i])
			batch.Add(r.dict, row) // and the batch's MinTS and MaxTS, which flush folds into st's
			if batch.Len() >= limit {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		blk.reset()
		empty <- blk
	}
	if err := flush(); err != nil {
		return err
	}
	r.pool <- batch
	return nil
}

// tailLimit is the size limit of the batch that holds n rows after sent
// rows were sent, when fewer than load.BatchRows rows are still to come in
// the file (at its rate of rows to bytes so far: rows in read bytes, of
// left): the batch ends on the next boundary of tailRows. DuckDB loads the
// last batches after the last line is read, with nothing beside it; a full
// batch there took 45 to 80 ms at 1M lines. left < 0 (a compressed file,
// whose size is not known) leaves limit as it is.
func tailLimit(limit, sent, n int, rows, read, left int64) int {
	if left < 0 || read <= 0 || rows <= 0 || max(left-read, 0)*rows/read >= load.BatchRows {
		return limit
	}
	end := (sent + n + tailRows - 1) / tailRows * tailRows // the next boundary, at or after n
	if end == sent {
		end += tailRows
	}
	return min(limit, end-sent)
}

// tailRows is the size of the batches near the end of a file: half a row
// group.
const tailRows = 30720

// nextBatchRows says how many rows the next batch takes, after sent rows
// were sent in this run. DuckDB loads batches that fill whole row groups
// markedly faster (BenchmarkIngest, with DuckDB's default groups of
// 122,880 rows: 0.49 s at 122,880 rows a batch, 0.60 s at 61,440 or
// 30,720, 0.55 s at 245,760); load.BatchRows is two of the groups knockmap
// uses. The first batches are sent in growing parts (15,360, 15,360,
// 30,720, 61,440) so that DuckDB starts early; after that each batch ends
// on a boundary of load.BatchRows, also after a source's last, partial
// batch.
func nextBatchRows(sent int) int {
	into := sent % load.BatchRows
	if sent < load.BatchRows {
		return min(max(load.FirstBatchRows, into), load.BatchRows-into)
	}
	return load.BatchRows - into
}
