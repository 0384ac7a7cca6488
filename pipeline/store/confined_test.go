package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// confinedFixture makes a database with a table, a folder of Parquet to
// allow and, beside it, files that must stay out of reach: a secret, a
// Parquet file, and a folder whose name starts with the allowed one's.
func confinedFixture(t *testing.T) (dir, path, allowed string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "k.duckdb")
	allowed = filepath.Join(dir, "pq")
	for _, d := range []string{filepath.Join(allowed, "year=2026"), allowed + "x"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE kept AS SELECT 42 AS a`,
		`COPY (SELECT 7 AS inside) TO '` + filepath.Join(allowed, "year=2026", "data_0.parquet") + `'`,
		`COPY (SELECT 8 AS outside) TO '` + filepath.Join(dir, "outside.parquet") + `'`,
		`COPY (SELECT 9 AS sibling) TO '` + filepath.Join(allowed+"x", "data_0.parquet") + `'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	os.WriteFile(filepath.Join(dir, "secret.csv"), []byte("secret\nhunter2\n"), 0o600)
	os.Symlink(dir, filepath.Join(allowed, "up")) // a link out of the allowed folder
	return dir, path, allowed
}

// listing is every file under dir, for seeing that nothing was made.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestConfinedEscapes runs each way out of a read-only query straight on
// a Confined database (ExecContext, past Print's own refusal of anything
// but a SELECT): DuckDB itself must refuse it and make no file. Every
// connection, not only the first, is confined: the pool keeps none.
func TestConfinedEscapes(t *testing.T) {
	dir, path, allowed := confinedFixture(t)
	ctx := context.Background()
	db, err := Open(ctx, path, Options{Confined: true, AllowDirs: []string{allowed}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxIdleConns(0) // a new connection for every statement
	if !db.ReadOnly || !db.Confined {
		t.Errorf("DB %+v, want read-only and confined", db)
	}
	before := listing(t, dir)
	out := filepath.Join(dir, "made")
	for _, q := range []string{
		`COPY (SELECT 1) TO '` + out + `.csv'`,
		`COPY kept TO '` + out + `.parquet' (FORMAT parquet)`,
		`ATTACH '` + out + `.duckdb' AS other`,
		`EXPORT DATABASE '` + out + `'`,
		`SELECT * FROM read_text('/etc/passwd')`,
		`SELECT * FROM read_text('` + filepath.Join(dir, "secret.csv") + `')`,
		`SELECT * FROM read_csv('` + filepath.Join(dir, "secret.csv") + `')`,
		`SELECT * FROM read_blob('` + filepath.Join(allowed, "..", "secret.csv") + `')`,
		`SELECT * FROM read_text('` + filepath.Join(allowed, "up", "secret.csv") + `')`,
		`SELECT * FROM read_parquet('` + filepath.Join(dir, "outside.parquet") + `')`,
		`SELECT * FROM read_parquet('` + allowed + `x/*.parquet')`,
		`SELECT * FROM glob('/etc/*')`,
		`INSTALL httpfs`,
		`LOAD httpfs`,
		`LOAD '` + out + `.duckdb_extension'`,
		`SET enable_external_access = true`,
		`SET GLOBAL enable_external_access = true`,
		`RESET enable_external_access`,
		`SET lock_configuration = false`,
		`SET allowed_directories = ['/']`,
		`SET temp_directory = '` + out + `'`,
		`PRAGMA enable_profiling = 'json'`,
		`SET profiling_output = '` + out + `.json'`,
		`SELECT 1; COPY (SELECT 1) TO '` + out + `.multi.csv'`,
		`CREATE TABLE more (a INTEGER)`,
		`INSERT INTO kept VALUES (1)`,
	} {
		if _, err := db.ExecContext(ctx, q); err == nil {
			t.Errorf("%s: no error", q)
		}
	}
	if after := listing(t, dir); !slices.Equal(after, before) {
		t.Errorf("files before %q, after %q", before, after)
	}
	var v string
	if err := db.QueryRow(`SELECT current_setting('enable_external_access')::VARCHAR || current_setting('lock_configuration')::VARCHAR`).Scan(&v); err != nil || v != "falsetrue" {
		t.Errorf("external access and lock: %q, %v", v, err)
	}
	var n int
	if err := db.QueryRow(`SELECT a FROM kept`).Scan(&n); err != nil || n != 42 {
		t.Errorf("the database's own table: %d, %v", n, err)
	}
	if err := db.QueryRow(`SELECT sum(inside) FROM read_parquet('` + allowed + `/**/*.parquet')`).Scan(&n); err != nil || n != 7 {
		t.Errorf("the allowed folder's Parquet: %d, %v", n, err)
	}
}

// TestPrintOneSelect: Print runs one SELECT and refuses anything else,
// several statements too, before any of it runs, on any database.
func TestPrintOneSelect(t *testing.T) {
	dir, path, allowed := confinedFixture(t)
	ctx := context.Background()
	for _, opt := range []Options{{}, {Confined: true, AllowDirs: []string{allowed}}} {
		db, err := Open(ctx, path, opt)
		if err != nil {
			t.Fatal(err)
		}
		before := listing(t, dir)
		for _, q := range []string{
			`COPY (SELECT 1) TO '` + filepath.Join(allowed, "made.csv") + `'`,
			`SELECT 1; COPY (SELECT 1) TO '` + filepath.Join(allowed, "made.csv") + `'`,
			`SELECT 1; SELECT 2`,
			`CREATE TABLE made AS SELECT 1`,
			`EXPLAIN ANALYZE COPY (SELECT 1) TO '` + filepath.Join(allowed, "made.csv") + `'`,
			`CALL pragma_version()`,
			`SET threads = 1`,
			`ATTACH ':memory:' AS m`,
		} {
			var b bytes.Buffer
			err := db.Print(ctx, &b, q, "table")
			if !errors.Is(err, ErrNotSelect) {
				t.Errorf("Confined %v: Print(%s) = %v, want ErrNotSelect", opt.Confined, q, err)
			}
			if b.Len() > 0 {
				t.Errorf("Print(%s) wrote %q", q, b.String())
			}
		}
		if after := listing(t, dir); !slices.Equal(after, before) {
			t.Errorf("Confined %v: files before %q, after %q", opt.Confined, before, after)
		}
		var tables int
		db.QueryRow(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'made'`).Scan(&tables)
		if tables != 0 {
			t.Errorf("Confined %v: a refused CREATE made its table", opt.Confined)
		}
		for q, want := range map[string]string{
			`SELECT a FROM kept`:   "42",
			`FROM kept`:            "42",
			`DESCRIBE kept`:        "INTEGER",
			`SELECT a FROM kept; `: "42",
		} {
			var b bytes.Buffer
			if err := db.Print(ctx, &b, q, "table"); err != nil || !strings.Contains(b.String(), want) {
				t.Errorf("Print(%s) = %q, %v; want %s in it", q, b.String(), err, want)
			}
		}
		db.Close()
	}
}

// TestConfinedSpills: a query too large for the memory limit still spills
// to the database's temporary folder when external access is off.
func TestConfinedSpills(t *testing.T) {
	_, path, _ := confinedFixture(t)
	db, err := Open(context.Background(), path, Options{Confined: true, MemoryLimit: "64MB", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	q := `SELECT count(*) FROM (SELECT i, md5(i::VARCHAR) AS h FROM range(3000000) t(i) ORDER BY h)`
	if err := db.QueryRow(q).Scan(&n); err != nil || n != 3000000 {
		t.Errorf("a sort larger than memory: %d, %v", n, err)
	}
}

// TestAllowDirsNeedConfined: folders to allow mean nothing on a database
// that reads everything, and a folder that does not exist is an error.
func TestAllowDirsNeedConfined(t *testing.T) {
	dir, path, allowed := confinedFixture(t)
	for _, opt := range []Options{
		{ReadOnly: true, AllowDirs: []string{allowed}},
		{Confined: true, AllowDirs: []string{filepath.Join(dir, "none")}},
		{Confined: true, AllowDirs: []string{filepath.Join(dir, "secret.csv")}},
	} {
		if db, err := Open(context.Background(), path, opt); err == nil {
			db.Close()
			t.Errorf("Open(%+v): no error", opt)
		}
	}
}
