//go:build duckdb_arrow

package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestWritebackFile: the writing back is done on the database's own file
// (the one DuckDB attached), found from the connection the loader uses.
func TestWritebackFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.duckdb")
	db := openDB(t, path)
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	got, err := dbFile(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.Stat(path)
	if st, err := os.Stat(got); err != nil || !os.SameFile(st, want) {
		t.Fatalf("the database file is %q (%v), not %s", got, err, path)
	}
	w := startWriteback(context.Background(), conn)
	if w == nil {
		t.Fatal("no writing back for a database in a file")
	}
	w.Kick()
	w.Kick()
	w.Stop()
}
