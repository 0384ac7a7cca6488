package store

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/knockmap/knockmap/pipeline/killtest"
)

// TestUnfinishedDatabase: a database file whose making a kill interrupted
// (empty, or part of DuckDB's header) is made anew, not refused forever;
// any other file that is not a database is left alone, with an error.
func TestUnfinishedDatabase(t *testing.T) {
	header := make([]byte, 4096)
	copy(header[8:], "DUCK")
	for _, c := range []struct {
		name string
		body []byte
		ok   bool
	}{
		{"empty", nil, true},
		{"part of the header", header, true},
		{"someone's notes", []byte("not a database, keep me\n"), false},
	} {
		path := filepath.Join(t.TempDir(), "k.duckdb")
		os.WriteFile(path, c.body, 0o644)
		db, err := Open(context.Background(), path, Options{})
		if c.ok {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if v, err := db.SchemaVersion(context.Background()); err != nil || v == 0 {
				t.Errorf("%s: made anew, but schema version %d (%v)", c.name, v, err)
			}
			db.Close()
			continue
		}
		if err == nil {
			db.Close()
			t.Errorf("%s: opened as a database", c.name)
		}
		if b, _ := os.ReadFile(path); string(b) != string(c.body) {
			t.Errorf("%s: the file was changed", c.name)
		}
	}
}

// TestUnfinishedButHeld: an empty database file on which another process
// holds DuckDB's lock is being made right now: it is left alone, and the
// open fails with a clear message instead.
func TestUnfinishedButHeld(t *testing.T) {
	if p := os.Getenv("KNOCKMAP_HOLD_LOCK"); p != "" {
		// the other process: lock as DuckDB does, until stdin closes
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		lock := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart}
		if err != nil || syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lock) != nil {
			os.Exit(3)
		}
		fmt.Println("held")
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}
	path := filepath.Join(t.TempDir(), "k.duckdb")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	holder := exec.Command(os.Args[0], "-test.run=^TestUnfinishedButHeld$")
	holder.Env = append(os.Environ(), "KNOCKMAP_HOLD_LOCK="+path)
	killtest.Hold(t, holder, "held")
	before, _ := os.Stat(path)
	db, err := Open(context.Background(), path, Options{})
	if err == nil {
		db.Close()
		t.Fatal("opened a database that another process holds")
	}
	if !strings.Contains(err.Error(), "it is in use by process ") {
		t.Errorf("error %q does not say which process holds the database", err)
	}
	after, err := os.Stat(path)
	if err != nil || !os.SameFile(before, after) {
		t.Errorf("the file the other process holds was removed or replaced (%v)", err)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]float64{
		"18.8 GiB": 18.8 * (1 << 30), "128.0 MiB": 128 << 20, "512 bytes": 512, "1.5 KiB": 1536, "2 GB": 2e9, "128MB": 128e6,
	} {
		if got, ok := ParseSize(in); !ok || math.Abs(got-want) > 1 {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "lots", "12 parsecs", "-1 GiB"} {
		if got, ok := ParseSize(in); ok {
			t.Errorf("ParseSize(%q) = %v, want a refusal", in, got)
		}
	}
}

// TestRowGroups: tables are written in groups of RowGroupRows, on every
// open (DuckDB keeps no row group size in the file), and the database is
// every connection's default under the name DuckDB gives a file it opens:
// its base name, or knockmap where that would clash with DuckDB's own; it
// spills beside the file, as DuckDB does by default.
func TestRowGroups(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, c := range []struct{ file, name string }{
		{"k.duckdb", "k"}, {"it's.duckdb", "it's"}, {"memory.duckdb", "knockmap"}, {"my logs/nightly.2026.db", "nightly"},
	} {
		path := filepath.Join(dir, c.file)
		os.MkdirAll(filepath.Dir(path), 0o755)
		for round := 0; round < 2; round++ {
			db, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
			conns := make([]interface{ Close() error }, 0, 3)
			for i := 0; i < 3; i++ { // each new connection has the file as its default
				conn, err := db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				conns = append(conns, conn)
				var name, temp string
				if err := conn.QueryRowContext(ctx, `SELECT current_database(), current_setting('temp_directory')`).Scan(&name, &temp); err != nil || name != c.name {
					t.Errorf("%s: connection %d: database %q (%v), want %q", c.file, i, name, err, c.name)
				}
				if temp != path+".tmp" { // where DuckDB spills beside a file it opens itself
					t.Errorf("%s: spills into %q, want %q", c.file, temp, path+".tmp")
				}
			}
			for _, conn := range conns {
				conn.Close()
			}
			if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS t (i BIGINT); INSERT INTO t SELECT range FROM range(150000)`); err != nil {
				t.Fatal(err)
			}
			var groups, first int64
			if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT row_group_id), sum(count) FILTER (WHERE row_group_id = 0) FROM pragma_storage_info('t') WHERE column_id = 0 AND segment_type <> 'VALIDITY'`).Scan(&groups, &first); err != nil {
				t.Fatal(err)
			}
			db.Close()
			if want := int64((round + 1) * 150000 / RowGroupRows); groups < want || first != RowGroupRows {
				t.Errorf("%s, open %d: %d row groups, the first of %d rows; want at least %d of %d", c.file, round+1, groups, first, want, RowGroupRows)
			}
		}
	}
}

// TestDatabaseModes: whatever the umask the process starts with, a new
// database, its folder, its write-ahead log (made anew after a checkpoint)
// and DuckDB's spill files are readable by no one but the owner and the
// group, and written by the owner only: they hold what auth.log held.
func TestDatabaseModes(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0))
	for _, umask := range []int{0, 0o077} {
		syscall.Umask(umask)
		dir := filepath.Join(t.TempDir(), "data")
		path := filepath.Join(dir, "k.duckdb")
		db, err := Open(context.Background(), path, Options{MemoryLimit: "32MB", Threads: 1})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]os.FileMode{}
		look := func() {
			filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil {
					fi, _ := os.Lstat(p)
					seen[strings.TrimPrefix(p, dir)] = fi.Mode()
				}
				return nil
			})
		}
		for _, q := range []string{
			"CREATE TABLE secrets AS SELECT 'hunter' || range AS password FROM range(1000)",
			"CHECKPOINT",
			"INSERT INTO secrets VALUES ('letmein')",
			// a sort larger than the memory limit spills into k.duckdb.tmp
			"CREATE TABLE sorted AS SELECT (range * 7919) % 1000003 AS h, repeat('x', 100) || range AS pad FROM range(400000) ORDER BY h",
		} {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			look()
		}
		db.Close()
		for _, name := range []string{"", "/k.duckdb", "/k.duckdb.wal", "/k.duckdb.tmp"} {
			if _, ok := seen[name]; !ok {
				t.Errorf("umask %03o: %s was never seen", umask, dir+name)
			}
		}
		for name, mode := range seen {
			if mode.Perm()&0o027 != 0 || mode.Perm()&^os.FileMode(umask) != mode.Perm() {
				t.Errorf("umask %03o: %s is %v: others or the group's write bit, or more than the umask allows", umask, dir+name, mode)
			}
		}
	}
}
