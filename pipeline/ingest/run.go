//go:build duckdb_arrow

package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/knockmap/knockmap/pipeline/connection"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/load"
	"github.com/knockmap/knockmap/pipeline/reading"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/store"
	"github.com/knockmap/knockmap/pipeline/syslog"
	"github.com/knockmap/knockmap/sql"
)

// loading returns what DuckDB loads under, setting by setting: one
// thread (more take the core the reading needs), bitpacking for every
// column and no FSST or dictionary compression (no time spent choosing),
// each row group written as soon as it is full (less left for the
// commit), and a small memory limit (loading never reads back what it
// wrote) unless KNOCKMAP_MEMORY_LIMIT rules.
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
// loading (loading) and returns what puts the earlier values back: SET
// with the values read before, since RESET leaves the memory limit low
// for what runs after the load. The limit comes back as DuckDB prints it,
// rounded to three digits (18.8 GiB). A setting is changed, and put back,
// only when it differs, since each change costs DuckDB milliseconds: a
// database opened with loadingStore pays none. docs/performance.md says
// why each setting is what it is.
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
	tail        uint64 // Cursor.Tail: the hash of the block before offset; 0: not known
	gzipCRC     uint32 // the CRC-32 of the bytes up to offset, when they are a whole gzip file's; 0: none
	known       bool   // a row exists in the sources table
}

// message goes from the reading goroutine to the loading one: a batch to
// insert, or a source that is finished and whose state is to be saved.
type message struct {
	sums   *load.Sums // the rollups' sums so far, to be written now (sumsFlushAt)
	batch  *load.Batch
	source *sourceState
	dedup  *load.Dedup // another source has rows in the batch's time range: how to check them
	done   bool
}

// loadExisting ingests the sources into db, which is open. Problems with
// single lines go to opt.Warn and are counted; a source that cannot be
// read is recorded in Stats.FileErrors and the others are still loaded.
// An error return means nothing was written.
//
// A failed ingest gives back the space its rows took in the database file
// (store.GiveBackSpace): one that filled the disk leaves it as it found it.
func loadExisting(ctx context.Context, db *sql.DB, sources []*input.Source, opt Options) (*Stats, error) {
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

// loadNew is loadExisting into a database that does not exist yet: open makes it,
// and the reading starts meanwhile, since a new database has no sources
// and no strings that the first batches would need (DuckDB takes about as
// long to start as the first 60,000 lines take to read). If the database
// turns out to hold something after all (another knockmap made it in
// between), what was read is dropped and loadExisting starts on it.
func loadNew(ctx context.Context, open func() (*sql.DB, error), sources []*input.Source, opt Options) (*Stats, error) {
	var db *sql.DB
	st, err := run(ctx, func() (*sql.DB, error) {
		var err error
		db, err = open()
		return db, err
	}, true, sources, opt)
	if errors.Is(err, errNotNew) {
		return loadExisting(ctx, db, sources, opt)
	}
	if err != nil && db != nil {
		giveBackSpace(db, opt.Warn)
	}
	return st, err
}

// errNotNew says that the database loadNew was to make holds something.
var errNotNew = errors.New("the database is not new")

func run(ctx context.Context, open func() (*sql.DB, error), fresh bool, sources []*input.Source, opt Options) (*Stats, error) {
	start := time.Now()
	if opt.Location == nil {
		opt.Location = time.Local
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	defer opt.prescan.Stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	msgs := make(chan message, messagesQueued)
	pool := make(chan *load.Batch, batchesPooled)
	for i := 0; i < cap(pool); i++ {
		pool <- new(load.Batch)
	}
	r := &reader{opt: opt, msgs: msgs, pool: pool, stats: newStats(), sums: load.NewSums()}
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
		r.states, r.nextID, r.dict = map[string][]*sourceState{}, 1, load.NewDict()
		r.conns = connection.New(1, nil)
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
		r.loadDict = func() (*load.Dict, error) {
			// its own err: run's goes on being written meanwhile
			conns, err := loadConns(ctx, ld.Conn())
			if err != nil {
				return nil, err
			}
			r.conns = conns
			return ld.Dict(ctx)
		}
		startReading()
	}

	// the database's folder, found once: Room asks only the kernel
	folder, err := store.Folder(ctx, db)
	if err != nil {
		stopReading()
		return nil, err
	}
	st := r.stats
	var loadErr error
	for m := range msgs {
		if loadErr != nil {
			continue // drain so the reader can stop
		}
		if m.batch != nil {
			if err := store.Room(folder); err != nil {
				loadErr = fmt.Errorf("stopping before the disk is full, nothing was loaded: %w", err)
				cancel()
				continue
			}
			n, err := ld.Insert(ctx, m.batch, m.source.id, m.dedup)
			st.NewRows += n
			st.Duplicates += int64(m.batch.Len()) - n
			st.Escaped += m.batch.Escaped
			m.batch.Reset()
			pool <- m.batch
			if err != nil {
				loadErr = err
				cancel()
				continue
			}
		}
		if m.sums != nil {
			ld.AddSums(m.sums)
			if err := ld.FlushSums(ctx); err != nil {
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
	if r.conns != nil && st.Lines > 0 {
		if err := saveConns(ctx, ld.Conn(), r.conns); err != nil {
			return nil, err
		}
	}
	st.Elapsed = time.Since(start)
	if _, err := ld.Conn().ExecContext(ctx, `INSERT INTO ingest_runs VALUES (?, ?, ?, ?, ?, ?, ?)`,
		start, opt.Now(), st.Files, st.Lines, st.NewRows, st.Skipped, st.Bad); err != nil {
		return nil, err
	}
	ld.AddSums(r.sums) // the reader is done with them
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
// write-ahead log) while the load settings still hold, so that DuckDB
// stores the strings as they are instead of trying FSST and dictionary
// compression on them, as it does when the database is closed. The rows
// are committed already: if the checkpoint fails or is interrupted,
// DuckDB does it on a later close.
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
// twice, and then makes the rollups anew from the rows (the crash may
// have left the rollups' part of that ingest or not); it costs two counts
// when there are none.
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
	return load.RebuildRollups(ctx, conn)
}

// loadStates reads the sources table: the sources of each fingerprint,
// the one read last first (files that start with the same line are
// sources of their own).
func loadStates(ctx context.Context, conn *sql.Conn) (map[string][]*sourceState, int32, error) {
	rows, err := conn.QueryContext(ctx, `SELECT id, fingerprint, path, offset_bytes, lines, coalesce(year, 0), coalesce(month, 0),
		coalesce(epoch_us(first_ts), 0), coalesce(epoch_us(last_ts), 0), coalesce(tail_hash, 0), coalesce(gzip_crc, 0)
		FROM sources ORDER BY last_read DESC, id DESC`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	states := map[string][]*sourceState{}
	var next int32 = 1
	for rows.Next() {
		s := &sourceState{known: true}
		var tail int64 // the column is signed: database/sql takes no uint64 with its high bit set
		if err := rows.Scan(&s.id, &s.fingerprint, &s.path, &s.offset, &s.lines, &s.year, &s.month, &s.firstTS, &s.lastTS, &tail, &s.gzipCRC); err != nil {
			return nil, 0, err
		}
		s.tail = uint64(tail)
		states[s.fingerprint] = append(states[s.fingerprint], s)
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
	var tail, crc any
	if s.tail != 0 {
		tail = int64(s.tail)
	}
	if s.gzipCRC != 0 {
		crc = s.gzipCRC
	}
	var err error
	if !s.known {
		_, err = conn.ExecContext(ctx, `INSERT INTO sources (id, fingerprint, path, offset_bytes, lines, year, month, first_ts, last_ts,
			first_read, last_read, tail_hash, gzip_crc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.id, s.fingerprint, s.path, s.offset, s.lines, year, month, first, last, now, now, tail, crc)
		s.known = true
	} else {
		_, err = conn.ExecContext(ctx, `UPDATE sources SET path = ?, offset_bytes = ?, lines = ?, year = ?, month = ?,
			first_ts = ?, last_ts = ?, last_read = ?, tail_hash = ?, gzip_crc = ? WHERE id = ?`,
			s.path, s.offset, s.lines, year, month, first, last, now, tail, crc, s.id)
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
	for _, same := range r.states {
		for _, o := range same {
			if o != st && o.lastTS != 0 && o.firstTS <= hi && lo <= o.lastTS {
				return true
			}
		}
	}
	return false
}

// dbError is a failure of the database, not of the source being read: it
// stops the ingest.
type dbError struct{ error }

func (e dbError) Unwrap() error { return e.error }

// reader is the reading half of an ingest: it runs in its own goroutine.
type reader struct {
	opt      Options
	dict     *load.Dict          // nil until a source has something new
	conns    *connection.Tracker // read with dict
	loadDict func() (*load.Dict, error)
	states   map[string][]*sourceState // by fingerprint, the one read last first
	nextID   int32
	msgs     chan<- message
	pool     chan *load.Batch
	stats    *Stats
	sent     int // rows sent to the loader in this run
	// sums are the rollups' sums of the batches sent without the overlap
	// check, taken here so that the loader's goroutine, which drives
	// DuckDB, does not; the loader sums the others from what it kept.
	sums *load.Sums
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

// source reads one input from where the last run left it: the source of
// its fingerprint whose bytes before its offset are the file's (see same),
// or a new source read from the start when none is (a file that starts
// with the same line as one read before but is shorter, or other bytes
// than it). The rows of the source read before stay; the new one's rows
// are checked against them as against any other source's.
func (r *reader) source(ctx context.Context, src *input.Source) error {
	fp, first, ok, err := src.Fingerprint()
	if err != nil {
		return err
	}
	if !ok {
		r.stats.NotReady++
		return nil
	}
	path := string(load.Escape([]byte(src.Name))) // a file name is bytes, the column text
	if src.Name == "-" {
		path = "(stdin)"
	}
	known := r.states[fp]
	for _, st := range known {
		same, unchanged, err := r.same(src, st)
		if err != nil {
			return err
		}
		if !same {
			continue
		}
		if unchanged {
			r.opt.prescan.Drop(src) // read before: no year scan needed
			r.stats.Unchanged++
			return nil
		}
		if err := r.read(ctx, src, first, st, path); !errors.Is(err, reading.ErrChanged) {
			return err
		}
	}
	st := &sourceState{id: r.nextID, fingerprint: fp}
	r.nextID++
	r.states[fp] = append([]*sourceState{st}, known...)
	return r.read(ctx, src, first, st, path)
}

// same reports whether src may be the file st was read from, with one
// small read: a file is when it is at least as long as st's offset and
// the block before that offset is the same (its hash, st.tail); unchanged
// when it has nothing after it. A compressed file is unchanged when its
// trailer has the CRC-32 and size of what st read; otherwise it may be
// the same, and reading.ReadSource tells on the way to the offset
// (reading.ErrChanged).
// A source read before schema 7 (no tail) is taken by its first line, as
// then, unless the file is shorter than its offset.
func (r *reader) same(src *input.Source, st *sourceState) (same, unchanged bool, err error) {
	if st.offset == 0 {
		return true, false, nil
	}
	if src.Compressed {
		crc, size, ok := src.GzipTrailer()
		return true, ok && st.gzipCRC != 0 && crc == st.gzipCRC && size == uint32(st.offset), nil
	}
	if src.Size < st.offset {
		return false, false, nil
	}
	if st.tail == 0 {
		return true, false, nil // read on, which records the tail
	}
	b, ok, err := src.Before(st.offset, input.TailBytes)
	if err != nil || !ok || reading.TailSum(b) != st.tail {
		return false, false, err
	}
	return true, src.Size == st.offset, nil
}

// read reads src as the source st, shown as path, from where st was left.
// It returns reading.ErrChanged, having sent nothing, when src turns out not to be
// the file st was read from.
func (r *reader) read(ctx context.Context, src *input.Source, first []byte, st *sourceState, path string) error {
	var err error
	if st.offset > 0 {
		r.opt.prescan.Drop(src) // read before: no year scan needed
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
	if r.opt.Left != nil {
		r.opt.Left(left)
	}
	full := make(chan *parsed, blocksQueued)
	empty := make(chan *parsed, blocksPooled)
	for i := 0; i < cap(empty); i++ {
		empty <- new(parsed)
	}
	filled := make(chan error, 1)
	go func() { filled <- r.fill(ctx, st, left, full, empty) }()
	var (
		host []byte
		read int64
	)
	switch {
	case src.Host != "":
		host = []byte(src.Host)
	case r.opt.Host != "":
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
	opt := r.opt.readOptions()
	opt.Progress = func(n int64) {
		read += n
		if r.opt.Progress != nil {
			r.opt.Progress(n)
		}
	}
	cur := reading.Cursor{Offset: st.offset, Lines: st.lines, Year: st.year, Month: st.month, Tail: st.tail}
	cur, err = reading.ReadSource(ctx, src, first, cur, opt, &r.stats.Stats, func(rec *syslog.Record, ev *sshd.Event, line int64) error {
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
	if errors.Is(err, context.Canceled) || errors.Is(err, reading.ErrChanged) {
		return err
	}
	// whatever was read before an error is still loaded and recorded
	if cur.Offset != st.offset {
		st.gzipCRC = 0
	}
	if crc, size, ok := src.GzipTrailer(); ok && err == nil && size == uint32(cur.Offset) {
		st.gzipCRC = crc // read to its end, which the gzip reader checked against this CRC
	}
	st.path = path
	st.offset, st.lines, st.year, st.month, st.tail = cur.Offset, cur.Lines, cur.Year, cur.Month, cur.Tail
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
	// flush sends the batch; last: it holds the source's last rows
	flush := func(last bool) error {
		if batch.Len() == 0 {
			return nil
		}
		r.sent += batch.Len()
		if st.firstTS == 0 || batch.MinTS < st.firstTS {
			st.firstTS = batch.MinTS
		}
		st.lastTS = max(st.lastTS, batch.MaxTS)
		var dedup *load.Dedup
		if r.overlaps(st, batch.MinTS, batch.MaxTS) {
			dedup = &load.Dedup{First: st.firstTS, Last: batch.MaxTS + 1}
			if last {
				dedup.Last = batch.MaxTS
			}
		} else {
			r.sums.AddBatch(batch)
		}
		m := message{batch: batch, source: st, dedup: dedup}
		if r.sums.Len() >= sumsFlushAt {
			m.sums, r.sums = r.sums, load.NewSums()
		}
		select {
		case r.msgs <- m:
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
			if batch.Len() >= limit { // held back at the end of the last block: more rows follow
				if err := flush(false); err != nil {
					return err
				}
			}
			row := &blk.rows[i]
			h := hostSeed.of(row.Host)
			row.Key = keys.key(row.TS, row.PID, h, blk.msgs[i])
			row.Conn = r.conns.Assign(h, row.PID, row.TS, sshd.Kind(row.Kind), row.IP, row.Port)
			batch.Add(r.dict, row) // and the batch's MinTS and MaxTS, which flush folds into st's
			if r.conns.GaveAddr() {
				batch.GaveConnAddr()
			}
			// a batch full at the end of a block waits for the next row, so
			// that the source's last batch is known to be its last
			if batch.Len() >= limit && i+1 < len(blk.rows) {
				if err := flush(false); err != nil {
					return err
				}
			}
		}
		blk.reset()
		empty <- blk
	}
	if err := flush(true); err != nil {
		return err
	}
	r.pool <- batch
	return nil
}

// tailLimit is the size limit of the batch that holds n rows after sent
// rows were sent, when fewer than load.BatchRows rows are still to come in
// the file (at its rate of rows to bytes so far: rows in read bytes, of
// left): the batch ends on the next boundary of tailRows, since DuckDB
// loads the last batches after the last line is read, with nothing beside
// it. left < 0 (a compressed file, whose size is not known) leaves limit
// as it is.
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

// nextBatchRows says how many rows the next batch takes, after sent rows
// were sent in this run: batches fill whole row groups, which DuckDB loads
// fastest. The first batches are sent in growing parts (15,360, 15,360,
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

var connsOpen = sqlfiles.Statement("ingest/conn_open")

// loadConns reads the connections an earlier ingest left open.
func loadConns(ctx context.Context, conn *sql.Conn) (*connection.Tracker, error) {
	var next uint32
	if err := conn.QueryRowContext(ctx, `SELECT max(next) FROM conn_next`).Scan(&next); err != nil {
		return nil, fmt.Errorf("reading the open connections: %w", err)
	}
	rows, err := conn.QueryContext(ctx, connsOpen)
	if err != nil {
		return nil, fmt.Errorf("reading the open connections: %w", err)
	}
	defer rows.Close()
	var open []connection.Open
	for rows.Next() {
		var o connection.Open
		var host, addr int64
		if err := rows.Scan(&host, &o.PID, &o.ID, &o.Last, &addr, &o.Port, &o.Flags); err != nil {
			return nil, err
		}
		o.Host, o.Addr = uint64(host), uint64(addr)
		open = append(open, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return connection.New(next, open), nil
}

// saveConns records, in the ingest's transaction, the connections that may
// go on in lines not read yet and the next connection id (the loader
// writes each connection's address, conn_addr).
func saveConns(ctx context.Context, conn *sql.Conn, t *connection.Tracker) error {
	stmts := []struct {
		q    string
		args []any
	}{
		{`DELETE FROM conn_open`, nil},
		{`UPDATE conn_next SET next = ?`, []any{t.Next()}},
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s.q, s.args...); err != nil {
			return fmt.Errorf("recording connections: %w", err)
		}
	}
	for _, o := range t.Carry() {
		if _, err := conn.ExecContext(ctx, `INSERT INTO conn_open VALUES (?, ?, ?, ?, ?, ?, ?)`,
			int64(o.Host), o.PID, o.ID, o.Last, int64(o.Addr), o.Port, o.Flags); err != nil {
			return fmt.Errorf("recording open connections: %w", err)
		}
	}
	return nil
}
