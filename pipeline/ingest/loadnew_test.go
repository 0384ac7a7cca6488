//go:build duckdb_arrow

package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

// TestLoadNew: reading while the database is made gives exactly the truth;
// run again on the database, now full, loadNew finds it is not new, drops
// what it read ahead and loads nothing twice.
func TestLoadNew(t *testing.T) {
	dir := t.TempDir()
	truth := genLog(t, dir, "--lines", "40000", "--rotate", "2", "--out", "auth.log")
	path := filepath.Join(dir, "k.duckdb")
	var db *store.DB
	open := func() (*sql.DB, error) {
		var err error
		if db, err = store.Open(context.Background(), path, store.Options{}); err != nil {
			return nil, err
		}
		return db.DB, nil
	}
	ingestNew := func() *Stats {
		t.Helper()
		srcs, errs := input.Expand([]string{filepath.Join(dir, "auth.log.1"), filepath.Join(dir, "auth.log")}, nil, time.Now())
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		st, err := loadNew(context.Background(), open, srcs, Options{Location: time.UTC, Warn: &bytes.Buffer{}, prescan: prescanAll(srcs)})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := ingestNew(); st.NewRows == 0 {
		t.Fatal("nothing loaded")
	}
	compareTruth(t, db, truth)
	db.Close()

	if st := ingestNew(); st.NewRows != 0 || st.Unchanged != 2 {
		t.Errorf("loadNew on a full database: %d new rows, %d sources unchanged; want 0 and 2", st.NewRows, st.Unchanged)
	}
	compareTruth(t, db, truth)
	db.Close()
}
