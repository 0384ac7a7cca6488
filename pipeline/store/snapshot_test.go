package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/knockmap/knockmap/sql"
)

var update = flag.Bool("update", false, "make pipeline/store/schema.duckdb.gz anew from the migrations")

// catalogue is everything a database's schema holds, and the rows of its
// tables, as text to compare: schema_migrations without the times they
// were applied.
func catalogue(t *testing.T, db *DB) string {
	t.Helper()
	ctx := context.Background()
	q := `
SELECT 'table ' || table_name || ': ' || sql FROM duckdb_tables() WHERE database_name = current_database()
UNION ALL
SELECT 'view ' || view_name || ': ' || sql FROM duckdb_views() WHERE database_name = current_database() AND NOT internal
UNION ALL
SELECT 'function ' || function_name || ' ' || function_type || ' ' || CAST(parameters AS VARCHAR) || ': ' || coalesce(macro_definition, '')
FROM duckdb_functions() WHERE database_name = current_database() AND NOT internal
UNION ALL
SELECT 'sequence ' || sequence_name || ': ' || sql FROM duckdb_sequences() WHERE database_name = current_database()
UNION ALL
SELECT 'index ' || index_name || ': ' || coalesce(sql, '') FROM duckdb_indexes() WHERE database_name = current_database()
UNION ALL
SELECT 'type ' || type_name || ': ' || logical_type FROM duckdb_types() WHERE database_name = current_database() AND NOT internal
UNION ALL
SELECT 'constraint ' || table_name || ' ' || constraint_type || ': ' || constraint_text
FROM duckdb_constraints() WHERE database_name = current_database()
ORDER BY 1`
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var tables []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
		if name, ok := strings.CutPrefix(s, "table "); ok {
			name, _, _ = strings.Cut(name, ":")
			tables = append(tables, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for _, name := range tables {
		cols := "t"
		if name == "schema_migrations" {
			cols = "t.version, t.name"
		}
		var text string
		err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) || ' rows: ' || coalesce(string_agg(CAST((%s) AS VARCHAR), '; ' ORDER BY CAST((%s) AS VARCHAR)), '')
			FROM %q AS t`, cols, cols, name)).Scan(&text)
		if err != nil {
			t.Fatal(name, err)
		}
		out = append(out, "rows of "+name+": "+text)
	}
	return strings.Join(out, "\n")
}

func open(t *testing.T, path string, opt Options) *DB {
	t.Helper()
	db, err := Open(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// snapshotOf is the gzipped file of the database that db holds, closed.
func snapshotOf(t *testing.T, db *DB) []byte {
	t.Helper()
	if _, err := db.Exec(`CHECKPOINT`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(db.Path + ".wal"); err == nil {
		t.Fatalf("%s.wal is left after a checkpoint", db.Path)
	}
	raw, err := os.ReadFile(db.Path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// snapshotVersionAt is where a DuckDB file's main header names the
// library that wrote it, its version ("v1.5.6") padded with zeros to 32
// bytes: after the checksum, the magic, the storage version and the
// header's four flags.
const snapshotVersionAt, snapshotVersionLen = 52, 32

// fileLibrary is the DuckDB version that wrote the file whose first bytes
// are head, or "" when head is too short to say.
func fileLibrary(head []byte) string {
	if len(head) < snapshotVersionAt+snapshotVersionLen || string(head[8:12]) != "DUCK" {
		return ""
	}
	return string(bytes.TrimRight(head[snapshotVersionAt:snapshotVersionAt+snapshotVersionLen], "\x00"))
}

// TestSchemaSnapshot: a new database made from schema.duckdb.gz holds
// what the migrations make, every table, view, macro and row, and the
// snapshot was written by the DuckDB knockmap links. With -update it is
// made anew: after a migration is added or DuckDB upgraded, run
//
//	go test -tags duckdb_arrow ./pipeline/store -run TestSchemaSnapshot -update
func TestSchemaSnapshot(t *testing.T) {
	dir := t.TempDir()
	// the same file name in both, which DuckDB attaches the file as
	want := open(t, filepath.Join(dir, "a", "k.duckdb"), Options{migrationsOnly: true})
	// as the next open reads it back: DuckDB prints some of a macro's
	// types otherwise before it has stored them
	want.Close()
	want = open(t, want.Path, Options{migrationsOnly: true})
	wantText := catalogue(t, want)
	var library string
	if err := want.QueryRow(`SELECT library_version FROM pragma_version()`).Scan(&library); err != nil {
		t.Fatal(err)
	}
	if *update {
		b := snapshotOf(t, want)
		if err := os.WriteFile("schema.duckdb.gz", b, 0o644); err != nil {
			t.Fatal(err)
		}
		schemaSnapshot = b
		t.Logf("wrote schema.duckdb.gz (%d bytes), written by DuckDB %s", len(b), library)
	} else {
		want.Close()
	}

	raw, err := gzip.NewReader(bytes.NewReader(schemaSnapshot))
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 4096)
	if _, err := raw.Read(head); err != nil {
		t.Fatal(err)
	}
	const redo = "; make it anew: go test -tags duckdb_arrow ./pipeline/store -run TestSchemaSnapshot -update"
	if got := fileLibrary(head); got != library {
		t.Fatalf("schema.duckdb.gz was written by DuckDB %q, knockmap links %s%s", got, library, redo)
	}

	path := filepath.Join(dir, "b", "k.duckdb")
	start := time.Now().Add(-time.Second)
	got := open(t, path, Options{})
	defer got.Close()
	migs, err := sqlfiles.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := got.SchemaVersion(context.Background()); err != nil || v != len(migs) {
		t.Fatalf("a new database is at schema %d (%v), want %d", v, err, len(migs))
	}
	if gotText := catalogue(t, got); gotText != wantText {
		t.Errorf("a new database made from schema.duckdb.gz differs from one the migrations make%s\n%s",
			redo, firstDifference(gotText, wantText))
	}
	var oldest time.Time
	if err := got.QueryRow(`SELECT min(applied) FROM schema_migrations`).Scan(&oldest); err != nil {
		t.Fatal(err)
	}
	if oldest.Before(start) {
		t.Errorf("the new database's migrations were applied at %v, before it was made (%v)", oldest, start)
	}
	// made from the snapshot, not by the migrations: these record their
	// number after their own statements, the snapshot's all at once
	var versions, times int
	if err := got.QueryRow(`SELECT count(*), count(DISTINCT applied) FROM schema_migrations`).Scan(&versions, &times); err != nil {
		t.Fatal(err)
	}
	if versions != len(migs) || times != 1 {
		t.Errorf("schema_migrations has %d rows at %d times, want %d at one (copied from the snapshot)%s", versions, times, len(migs), redo)
	}
}

// firstDifference is the first line where two texts differ, of each.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			// from a little before the first character that differs
			at := 0
			for at < len(a) && at < len(b) && a[at] == b[at] {
				at++
			}
			from := max(0, at-120)
			cut := func(s string) string { return s[min(from, len(s)):min(at+120, len(s))] }
			return fmt.Sprintf("line %d, from byte %d:\n got  …%s…\n want …%s…", i+1, from, cut(a), cut(b))
		}
	}
	return ""
}

// TestSnapshotBehind: a snapshot that lacks the last migration (one made
// before it was added) still gives a new database at the last schema,
// the migrations it lacks applied after the copy.
func TestSnapshotBehind(t *testing.T) {
	dir := t.TempDir()
	migs, err := sqlfiles.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	old := open(t, filepath.Join(dir, "old.duckdb"), Options{migrationsOnly: true})
	if _, err := old.Exec(`DELETE FROM schema_migrations WHERE version = ?`, migs[len(migs)-1].Version); err != nil {
		t.Fatal(err)
	}
	behind := snapshotOf(t, old)
	saved := schemaSnapshot
	schemaSnapshot = behind
	defer func() { schemaSnapshot = saved }()

	db := open(t, filepath.Join(dir, "new.duckdb"), Options{})
	defer db.Close()
	var versions, times int
	if err := db.QueryRow(`SELECT count(*), count(DISTINCT applied) FROM schema_migrations`).Scan(&versions, &times); err != nil {
		t.Fatal(err)
	}
	if versions != len(migs) || times != 2 {
		t.Errorf("schema_migrations has %d rows at %d times, want %d at two (the snapshot's, then the last)", versions, times, len(migs))
	}
}

// TestSnapshotLeavesFilesBe: a database that exists, or whose
// write-ahead log does, is opened as it is, never replaced by the copy;
// nor is a file of another kind at the path.
func TestSnapshotLeavesFilesBe(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name  string
		setup func(path string)
	}{
		{"a file there", func(path string) { os.WriteFile(path, []byte("not a database"), 0o600) }},
		{"a write-ahead log there", func(path string) { os.WriteFile(path+".wal", []byte("x"), 0o600) }},
		{"a link to nothing there", func(path string) { os.Symlink(filepath.Join(dir, "nowhere"), path) }},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".duckdb")
		c.setup(path)
		made, err := createFromSnapshot(path)
		if err != nil || made {
			t.Errorf("%s: createFromSnapshot = %v, %v; want it to leave the path be", c.name, made, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a-file-there.duckdb")); string(b) != "not a database" {
		t.Errorf("the file there was changed: %q", b)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); err == nil {
		t.Error("the copy went where a link at the path points")
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.new-*"))
	if len(left) > 0 {
		t.Errorf("copies left behind: %v", left)
	}

	path := filepath.Join(dir, "k.duckdb")
	made, err := createFromSnapshot(path)
	if err != nil || !made {
		t.Fatalf("createFromSnapshot of a new path = %v, %v", made, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm&0o027 != 0 {
		t.Errorf("the new database is %v: others or the group's write bit can reach it", perm)
	}
	if made, err := createFromSnapshot(path); err != nil || made {
		t.Errorf("a second createFromSnapshot = %v, %v; want the first's file left be", made, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.new-*")); len(left) > 0 {
		t.Errorf("copies left behind: %v", left)
	}
}

// TestSnapshotWithoutLinks: where the file system makes no hard links, a
// new database is made all the same, by the migrations, and no copy is
// left behind.
func TestSnapshotWithoutLinks(t *testing.T) {
	saved := link
	link = func(string, string) error { return &os.LinkError{Op: "link", Err: syscall.EPERM} }
	defer func() { link = saved }()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "k.duckdb"), Options{})
	defer db.Close()
	migs, err := sqlfiles.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var versions, times int
	if err := db.QueryRow(`SELECT count(*), count(DISTINCT applied) FROM schema_migrations`).Scan(&versions, &times); err != nil {
		t.Fatal(err)
	}
	if versions != len(migs) || times < 2 {
		t.Errorf("schema_migrations has %d rows at %d times, want %d, each at its own (made by the migrations)", versions, times, len(migs))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.new-*")); len(left) > 0 {
		t.Errorf("copies left behind: %v", left)
	}
}
