//go:build duckdb_arrow

package load

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/knockmap/knockmap/pipeline/store"
)

// TestWritebackFile: the writing back is done on the database's own file
// (the one DuckDB attached), found from the connection the loader uses.
func TestWritebackFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.duckdb")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	l, err := Begin(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Rollback()
	got, err := dbFile(ctx, l.Conn())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.Stat(path)
	if st, err := os.Stat(got); err != nil || !os.SameFile(st, want) {
		t.Fatalf("the database file is %q (%v), not %s", got, err, path)
	}
	if l.file == nil {
		t.Fatal("no writing back for a database in a file")
	}
	if st, err := l.file.Stat(); err != nil || !os.SameFile(st, want) {
		t.Fatalf("writing back %v (%v), not %s", l.file.Name(), err, path)
	}
}
