//go:build duckdb_arrow

package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/input"
	sqlfiles "github.com/knockmap/knockmap/sql"
)

// TestForgetRereads: a log read with the wrong year is forgotten and read
// again with --year; the other source is left alone, and the count that
// the repair after a crash relies on stays exact.
func TestForgetRereads(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	b := filepath.Join(dir, "b.log")
	os.WriteFile(a, []byte("Mar  1 10:00:00 pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"+
		"Mar  1 10:00:01 pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"), 0o644)
	os.WriteFile(b, []byte("Mar  2 10:00:00 pi sshd[2]: Failed password for bob from 192.0.2.2 port 2 ssh2\n"), 0o644)
	mtime := time.Date(2024, 3, 3, 0, 0, 0, 0, time.UTC)
	os.Chtimes(a, mtime, mtime)
	os.Chtimes(b, mtime, mtime)
	db := openDB(t, filepath.Join(dir, "k.duckdb"))
	ingestPaths(t, db, a, b)

	if _, err := Forget(context.Background(), db.DB, []string{filepath.Join(dir, "missing.log")}, time.Now()); err == nil {
		t.Error("forgetting a source that is not there did not fail")
	}
	gone, err := Forget(context.Background(), db.DB, []string{a}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 1 || gone[0].Rows != 2 {
		t.Fatalf("forgot %+v, want a.log with 2 rows", gone)
	}
	var extra int64
	db.QueryRow(sqlfiles.Statement("ingest/unaccounted")).Scan(&extra)
	if extra != 0 {
		t.Errorf("after forget the rows and the ingests' sum differ by %d", extra)
	}
	srcs, _ := input.Expand([]string{a, b}, nil, time.Now())
	st, err := loadExisting(context.Background(), db.DB, srcs, Options{Location: time.UTC, Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	if st.NewRows != 2 || st.Unchanged != 1 {
		t.Errorf("the ingest after forget: %d new rows, %d unchanged; want 2 and 1", st.NewRows, st.Unchanged)
	}
	var years string
	db.QueryRow(`SELECT string_agg(DISTINCT CAST(year(ts AT TIME ZONE 'UTC') AS VARCHAR) || ':' || username, ',' ORDER BY 1) FROM failed_logins`).Scan(&years)
	if years != "2023:root,2024:bob" {
		t.Errorf("years %q, want a.log in 2023 and b.log still in 2024", years)
	}
}
