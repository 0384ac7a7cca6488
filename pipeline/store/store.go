// Package store opens knockmap's DuckDB file, brings its schema up to date
// from the numbered files in sql/, and runs read-only queries for users.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/knockmap/knockmap/pipeline/outfile"
	"github.com/knockmap/knockmap/sql"
)

// DB is an open knockmap database.
type DB struct {
	*sql.DB
	Path     string
	ReadOnly bool
	Confined bool // opened with Options.Confined
}

// DefaultPath returns where the database lives when no --db is given:
// $KNOCKMAP_DB, else $XDG_DATA_HOME/knockmap/knockmap.duckdb (with
// XDG_DATA_HOME defaulting to ~/.local/share).
func DefaultPath() string {
	if p := os.Getenv("KNOCKMAP_DB"); p != "" {
		return p
	}
	return filepath.Join(DataDir(), "knockmap.duckdb")
}

// DataDir returns $XDG_DATA_HOME/knockmap (default ~/.local/share/knockmap).
func DataDir() string {
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			home = "."
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "knockmap")
}

// Options say how to open a database.
type Options struct {
	ReadOnly    bool
	MemoryLimit string // DuckDB memory_limit, e.g. "256MB"; empty: KNOCKMAP_MEMORY_LIMIT, else DefaultMemoryLimit
	// OwnMemoryLimit leaves DuckDB its own memory limit (80% of the
	// machine's memory) when MemoryLimit is empty, whatever
	// KNOCKMAP_MEMORY_LIMIT says: for knockmap query's second try at a
	// query that ran out under DefaultMemoryLimit.
	OwnMemoryLimit bool
	Threads        int // 0 for DuckDB's default

	// Confined opens the database for SQL that someone else wrote (knockmap
	// query): read-only, with DuckDB's access to anything outside it turned
	// off (enable_external_access = false: no file is read or written, no
	// extension installed or loaded, no other database attached) and its
	// settings locked (lock_configuration = true), so that no statement can
	// turn that back on.
	Confined bool
	// AllowDirs are folders whose files a Confined database may read all
	// the same (DuckDB's allowed_directories), e.g. an export's Parquet.
	// DuckDB lets them be written too; Print, which runs a SELECT only,
	// gives it no statement that writes.
	AllowDirs []string
	// Warn is where Open reports a repair it made (see mendTorn); nil:
	// standard error.
	Warn io.Writer

	// migrationsOnly makes a new database by running every migration,
	// not from schemaSnapshot: what the snapshot itself is made by.
	migrationsOnly bool
}

// Open opens (creating it when it is new and not read-only) the database at
// path and applies any schema migrations it lacks. A database written by a
// newer knockmap is refused. Extensions are never downloaded: everything
// knockmap uses is built in. The database holds what the auth log held,
// passwords typed at the username prompt included, so Open first takes the
// bits for others and the group's write bit out of the process's umask
// (see restrictUmask): DuckDB makes the file, its write-ahead log (made
// anew after each checkpoint) and its spill files with the umask, and
// with it they are 0640 at most, like the log.
//
// A database that a kill left with a half-written metadata block, which
// DuckDB refuses as corrupt, is repaired when it is opened to be written
// (mendTorn, with a note on opt.Warn and a record beside it); opened
// read-only, the error says that the next ingest or run will repair it.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if !opt.ReadOnly && !opt.Confined && path != "" {
		mended, err := mendTorn(path)
		warn := opt.Warn
		if warn == nil {
			warn = os.Stderr
		}
		for _, r := range mended {
			fmt.Fprintf(warn, "knockmap: database %s: repaired the metadata block at byte %d, which a knockmap killed at a checkpoint had left half-written (the change is recorded in %s)\n", path, r.location, r.record)
		}
		if err != nil {
			return nil, fmt.Errorf("database %s: repairing a half-written metadata block: %w", path, err)
		}
	}
	db, err := openOnce(ctx, path, opt)
	if err != nil && (opt.ReadOnly || opt.Confined) {
		if r, herr := tornHint(path, err); herr == nil {
			return nil, fmt.Errorf("%w\n(the metadata block at byte %d was left half-written by a knockmap killed at a checkpoint: the next knockmap ingest or run repairs it)", err, r.location)
		}
	}
	return db, err
}

func openOnce(ctx context.Context, path string, opt Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("no database path")
	}
	restrictUmask()
	if !opt.ReadOnly {
		if err := outfile.MkdirAll(filepath.Dir(path)); err != nil {
			return nil, fmt.Errorf("creating the database folder: %w", err)
		}
		if err := dropUnfinished(path); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("database %s: %w (run knockmap ingest first)", path, err)
	}
	fresh := false
	if !opt.ReadOnly && !opt.Confined && !opt.migrationsOnly {
		var err error
		if fresh, err = createFromSnapshot(path); err != nil {
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	}
	if opt.Confined {
		opt.ReadOnly = true
	}
	if len(opt.AllowDirs) > 0 && !opt.Confined {
		return nil, errors.New("AllowDirs is for a Confined database")
	}
	q := []string{"autoinstall_known_extensions=false", "autoload_known_extensions=false",
		// where DuckDB spills, as it does for a database it opens itself
		"temp_directory=" + url.QueryEscape(path+".tmp")}
	if opt.MemoryLimit == "" && !opt.OwnMemoryLimit {
		opt.MemoryLimit = os.Getenv("KNOCKMAP_MEMORY_LIMIT")
		if opt.MemoryLimit == "" {
			opt.MemoryLimit = DefaultMemoryLimit
		}
	}
	if opt.MemoryLimit != "" {
		q = append(q, "memory_limit="+url.QueryEscape(opt.MemoryLimit))
	}
	if opt.Threads > 0 {
		q = append(q, fmt.Sprintf("threads=%d", opt.Threads))
	}
	attach := attachSQL(path, opt.ReadOnly)
	var confine string
	if opt.Confined {
		c, err := confineSQL(opt.AllowDirs)
		if err != nil {
			return nil, err
		}
		confine = c
	}
	var mu sync.Mutex
	attached := false
	connector, err := duckdb.NewConnector("?"+strings.Join(q, "&"), func(c driver.ExecerContext) error {
		mu.Lock()
		defer mu.Unlock()
		stmt := attach
		switch {
		case opt.Confined && attached:
			// the file is attached and the settings, global, are locked:
			// another connection only makes it its default
			_, stmt, _ = strings.Cut(attach, "; ")
		case opt.Confined:
			stmt += "; " + confine
		}
		_, err := c.ExecContext(context.Background(), stmt, nil)
		if err == nil {
			attached = true
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("opening database %s: %w", path, explainOpenError(err))
	}
	db := &DB{DB: sql.OpenDB(connector), Path: path, ReadOnly: opt.ReadOnly, Confined: opt.Confined}
	if err := db.PingContext(ctx); err != nil { // the first connection attaches the file
		db.Close()
		return nil, fmt.Errorf("opening database %s: %w", path, explainOpenError(err))
	}
	if fresh {
		// applied now, as the snapshot's migrations stand for
		if _, err := db.ExecContext(ctx, `UPDATE schema_migrations SET applied = now()`); err != nil {
			db.Close()
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return db, nil
}

// umaskBits are the bits restrictUmask adds to the umask: the group's
// write bit and all of others'.
const umaskBits = 0o027

// restrictUmask adds umaskBits to the process's umask, keeping the bits
// it has. The umask is the process's, not the database's: every file the
// process makes from here on is made without them, which is what knockmap
// wants of all its files (a report, an export, a spool are made 0640
// explicitly anyway).
func restrictUmask() {
	if old, ok := currentUmask(); ok {
		if old&umaskBits != umaskBits {
			syscall.Umask(old | umaskBits)
		}
		return
	}
	// no /proc: the umask can only be read by setting it
	old := syscall.Umask(umaskBits)
	syscall.Umask(old | umaskBits)
}

// currentMask is the process's umask, or umaskBits where it cannot be
// read without setting it.
func currentMask() int {
	if m, ok := currentUmask(); ok {
		return m
	}
	return umaskBits
}

// currentUmask reads the umask without changing it, from Linux's
// /proc/self/status.
func currentUmask() (int, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Umask:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 8, 32)
			return int(n), err == nil
		}
	}
	return 0, false
}

// attachSQL is what each connection runs first. knockmap opens an
// in-memory DuckDB and attaches the file to it, since the row group size
// is an option of ATTACH only, not of a database opened by path (nor kept
// in the file). The file keeps the name DuckDB would give it opened by
// path (knockmap for knockmap.duckdb), and is made every connection's
// default database.
func attachSQL(path string, readOnly bool) string {
	name := filepath.Base(path)
	if i := strings.IndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	switch strings.ToLower(name) {
	case "", "memory", "system", "temp", "main":
		name = "knockmap"
	}
	opts := fmt.Sprintf("ROW_GROUP_SIZE %d", RowGroupRows)
	if readOnly {
		opts += ", READ_ONLY"
	}
	id := `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	return "ATTACH IF NOT EXISTS '" + strings.ReplaceAll(path, "'", "''") + "' AS " + id + " (" + opts + "); USE " + id
}

// confineSQL is what the first connection of a Confined database runs once
// it has attached the file: DuckDB's external access off, with dirs still
// readable, and the configuration locked. The order matters: the allowed
// folders cannot be changed once external access is off, nor anything once
// the configuration is locked. A folder is given as it is named and as its
// real path, which DuckDB compares a file's path with.
func confineSQL(dirs []string) (string, error) {
	var allowed []string
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return "", fmt.Errorf("folder %s: %w", d, err)
		}
		resolved, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return "", fmt.Errorf("folder %s: %w", d, err)
		}
		if st, err := os.Stat(resolved); err != nil || !st.IsDir() {
			return "", fmt.Errorf("%s is not a folder", d)
		}
		for _, p := range []string{abs, resolved} {
			allowed = append(allowed, "'"+strings.ReplaceAll(strings.TrimSuffix(p, "/")+"/", "'", "''")+"'")
		}
	}
	return "SET allowed_directories = [" + strings.Join(allowed, ", ") + "]; " +
		"SET enable_external_access = false; SET lock_configuration = true", nil
}

// headerBytes is the size of DuckDB's file header: its main header and two
// database headers. A database file is never shorter once it is made.
const headerBytes = 3 * 4096

// dropUnfinished removes a database file whose making was interrupted (a
// knockmap killed in the moment DuckDB created it): empty, or shorter than
// DuckDB's header with DuckDB's magic bytes in it. It can hold no row, and
// DuckDB refuses to open it ("not a valid DuckDB database file"), which
// would stop every later run. Any other file is left for DuckDB to judge,
// and so is a file that another process is making right now: DuckDB holds
// an fcntl write lock on a database it has open, so the file is removed
// only under that lock, taken here.
func dropUnfinished(path string) error {
	st, err := os.Stat(path)
	if err != nil || st.Size() >= headerBytes || !st.Mode().IsRegular() {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil
	}
	defer f.Close() // and with it the lock
	lock := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart}
	if syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lock) != nil {
		return nil // another process has it open
	}
	held, err := f.Stat()
	if err != nil || !os.SameFile(held, st) || held.Size() >= headerBytes {
		return nil
	}
	if held.Size() > 0 {
		magic := make([]byte, 12)
		if _, err := f.ReadAt(magic, 0); err != nil || string(magic[8:12]) != "DUCK" {
			return nil
		}
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("database %s was left unfinished by an interrupted run and cannot be removed: %w", path, err)
	}
	os.Remove(path + ".wal")
	return nil
}

// ParseSize reads a memory size as DuckDB prints one ("18.8 GiB",
// "128.0 MiB", "512 bytes"; also "2 GB", and "128MB" as it is given), for
// its memory_limit setting.
func ParseSize(s string) (float64, bool) {
	num := strings.TrimRight(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ")
	unit := strings.TrimSpace(s[len(num):])
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || v < 0 {
		return 0, false
	}
	for i, u := range []string{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"} {
		if unit == u {
			return v * math.Pow(1024, float64(i)), true
		}
	}
	for i, u := range []string{"bytes", "KB", "MB", "GB", "TB", "PB"} {
		if unit == u {
			return v * math.Pow(1000, float64(i)), true
		}
	}
	return 0, false
}

// ErrInUse is what Open's error wraps when another process has the
// database open: DuckDB lets one process write a database file, or any
// number read it, and the lock is taken when it opens.
var ErrInUse = errors.New("the database is open in another process")

// inUseError is an open refused by DuckDB's lock, with the process that
// holds it where DuckDB names one.
type inUseError struct {
	err error
	pid int
	cmd string // its command line, where /proc shows it
}

func (e inUseError) Error() string {
	switch {
	case e.pid != 0 && e.cmd != "":
		return fmt.Sprintf("it is in use by process %d (%s)", e.pid, e.cmd)
	case e.pid != 0:
		return fmt.Sprintf("it is in use by process %d", e.pid)
	}
	return "it is in use by another process"
}
func (e inUseError) Unwrap() []error { return []error{ErrInUse, e.err} }

// lockHolder finds "(PID N)" in DuckDB's lock message.
var lockHolder = regexp.MustCompile(`\(PID (\d+)\)`)

func newInUseError(err error) inUseError {
	e := inUseError{err: err}
	if m := lockHolder.FindStringSubmatch(err.Error()); m != nil {
		e.pid, _ = strconv.Atoi(m[1])
		if b, rerr := os.ReadFile("/proc/" + m[1] + "/cmdline"); rerr == nil {
			e.cmd = strings.TrimSpace(strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return e
}

// OpenWaiting is Open, trying again for as long as wait while another
// process has the database open (ErrInUse), as knockmap run and ingest
// --wait do.
func OpenWaiting(ctx context.Context, path string, opt Options, wait time.Duration) (*DB, error) {
	deadline := time.Now().Add(wait)
	for {
		db, err := Open(ctx, path, opt)
		if !errors.Is(err, ErrInUse) || !time.Now().Before(deadline) {
			return db, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(openPoll):
		}
	}
}

// openPoll is how often OpenWaiting tries again.
const openPoll = 250 * time.Millisecond

func explainOpenError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock"):
		return newInUseError(err)
	case strings.Contains(msg, "Read-only file system"), strings.Contains(msg, "Permission denied"):
		return fmt.Errorf("it cannot be written here, so nothing can be loaded into it; knockmap query, report and export only read it (%w)", err)
	}
	return err
}

// SchemaVersion returns the newest migration applied to the database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	err := db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND schema_name = 'main'`).Scan(&exists)
	if err != nil || !exists {
		return 0, err
	}
	var v sql.NullInt64
	err = db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// migrate applies the schema files the database has not seen, in order,
// in one transaction, recording each in schema_migrations.
func (db *DB) migrate(ctx context.Context) error {
	migs, err := sqlfiles.Migrations()
	if err != nil {
		return err
	}
	have, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if have > len(migs) {
		return fmt.Errorf("it was written by a newer knockmap (schema version %d; this knockmap knows up to %d): upgrade knockmap", have, len(migs))
	}
	if have == len(migs) {
		return nil
	}
	if db.ReadOnly {
		return fmt.Errorf("its schema is at version %d and needs %d: run a knockmap ingest on it first", have, len(migs))
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, name VARCHAR NOT NULL, applied TIMESTAMPTZ NOT NULL)`); err != nil {
		return err
	}
	for _, m := range migs[have:] {
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("applying sql/%s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?, ?)`, m.Version, m.Name, time.Now()); err != nil {
			return err
		}
	}
	return tx.Commit()
}
