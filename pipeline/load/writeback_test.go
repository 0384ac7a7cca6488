//go:build duckdb_arrow

package load

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/knockmap/knockmap/pipeline/store"
)

// TestWritebackFile: the syncing is done on the database's own file (the
// one DuckDB attached), found from the connection the loader uses, and
// stops with the transaction.
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
	if l.sync == nil {
		t.Fatal("no syncing for a database in a file")
	}
	f := l.sync.f
	if st, err := f.Stat(); err != nil || !os.SameFile(st, want) {
		t.Fatalf("syncing %v (%v), not %s", f.Name(), err, path)
	}
	for i := 0; i < 3; i++ {
		l.sync.Kick()
	}
	l.Rollback()
	select {
	case <-l.sync.done:
	default:
		t.Fatal("the syncing goroutine outlived the transaction")
	}
	if _, err := f.Stat(); err == nil {
		t.Error("the file is still open after the transaction")
	}
}
