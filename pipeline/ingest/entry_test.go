//go:build duckdb_arrow

package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

// TestIsNew: the background year scan runs for a database that is still
// to be made (every source is read from its start), and not for one that
// exists (its sources are mostly known, and a night with nothing new
// reads no log).
func TestIsNew(t *testing.T) {
	dir := t.TempDir()
	made := filepath.Join(dir, "k.duckdb")
	os.WriteFile(made, []byte("a database"), 0o644)
	for _, tt := range []struct {
		path string
		want bool
	}{
		{filepath.Join(dir, "absent.duckdb"), true},
		{made, false},
	} {
		if got := isNew(tt.path); got != tt.want {
			t.Errorf("isNew(%s) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// TestIngest: the one entry point makes a database and loads it, then
// loads nothing twice into it; calls Opened before and Then after the
// load with the database open, under the loading settings or DuckDB's own
// as ThenQueries says; returns Opened's and Then's errors as they are.
func TestIngest(t *testing.T) {
	dir := t.TempDir()
	log, _ := oneLineLog(t, dir)
	path := filepath.Join(dir, "k.duckdb")
	errOpened, errThen := errors.New("opened failed"), errors.New("then failed")
	for _, tt := range []struct {
		name        string
		thenQueries bool
		openedErr   error
		thenErr     error
		wantRows    int64
		wantErr     error
	}{
		{name: "new database", wantRows: 1},
		{name: "nothing new", wantRows: 0},
		{name: "then queries", thenQueries: true, wantRows: 0},
		{name: "opened fails", openedErr: errOpened, wantErr: errOpened},
		{name: "then fails", thenErr: errThen, wantRows: 0, wantErr: errThen},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srcs, errs := input.Expand([]string{log}, nil, time.Now())
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			defer srcs[0].Close()
			var order []string
			var sources int64 = -1
			var threads int64
			var limit string
			opt := Options{Location: time.UTC, Warn: &bytes.Buffer{}, ThenQueries: tt.thenQueries,
				Opened: func(ctx context.Context, db *sql.DB) error {
					order = append(order, "opened")
					if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sources`).Scan(&sources); err != nil {
						return err
					}
					return tt.openedErr
				},
				Then: func(ctx context.Context, db *store.DB, st *Stats) error {
					order = append(order, "then")
					if err := db.QueryRowContext(ctx, `SELECT current_setting('threads'), current_setting('memory_limit')`).Scan(&threads, &limit); err != nil {
						return err
					}
					return tt.thenErr
				}}
			wasNew := isNew(path)
			st, err := Ingest(context.Background(), path, srcs, opt)
			if err != tt.wantErr && (tt.wantErr != nil || err != nil) {
				t.Fatalf("error %v, want %v as it is", err, tt.wantErr)
			}
			if tt.openedErr != nil {
				if st != nil || strings.Join(order, " ") != "opened" {
					t.Errorf("with Opened failing: stats %v, calls %v; want none and opened only", st, order)
				}
				return
			}
			if strings.Join(order, " ") != "opened then" {
				t.Errorf("calls %v, want opened then", order)
			}
			if wasNew && sources != 0 {
				t.Errorf("a new database held %d sources when opened", sources)
			}
			if st == nil || st.NewRows != tt.wantRows {
				t.Fatalf("stats %+v, want %d new rows", st, tt.wantRows)
			}
			if os.Getenv("KNOCKMAP_MEMORY_LIMIT") != "" {
				return
			}
			want := ingestMemoryLimit
			if tt.thenQueries {
				want = store.DefaultMemoryLimit
			}
			if !sameSetting("memory_limit", limit, want) || (!tt.thenQueries && threads != 1) || (tt.thenQueries && threads == 1 && runtime.NumCPU() > 1) {
				t.Errorf("Then ran with %d threads and %s (ThenQueries %v): want the loading settings only without ThenQueries", threads, limit, tt.thenQueries)
			}
		})
	}
}

// TestIngestErrors: a database that cannot be opened is said as it is; a
// load that fails says that nothing was loaded.
func TestIngestErrors(t *testing.T) {
	dir := t.TempDir()
	log, _ := oneLineLog(t, dir)
	path := filepath.Join(dir, "k.duckdb")
	holder, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	holder.Close()
	srcs, _ := input.Expand([]string{log}, nil, time.Now())
	defer srcs[0].Close()
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Ingest(ctx, path, srcs, Options{Location: time.UTC, Opened: func(context.Context, *sql.DB) error {
		cancel() // the load that follows is interrupted
		return nil
	}})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "nothing was loaded") {
		t.Errorf("an interrupted load: %v, want context.Canceled and that nothing was loaded", err)
	}
	notDB := filepath.Join(dir, "not.duckdb")
	os.WriteFile(notDB, []byte("not a database at all, but long enough to be read as one"), 0o644)
	_, err = Ingest(context.Background(), notDB, srcs, Options{Location: time.UTC})
	if err == nil || strings.Contains(err.Error(), "nothing was loaded") {
		t.Errorf("a file that is no database: %v, want the opening's error as it is", err)
	}
}

// TestDatabaseIsNoLog: the database's own file, given among the logs
// (knockmap ingest knockmap.duckdb, --db forgotten), is not read: an
// error names it, and the log beside it still loads; the database still
// opens with exactly the log's row.
func TestDatabaseIsNoLog(t *testing.T) {
	dir := t.TempDir()
	log, _ := oneLineLog(t, dir)
	path := filepath.Join(dir, "k.duckdb")
	srcs, _ := input.Expand([]string{log}, nil, time.Now())
	if _, err := Ingest(context.Background(), path, srcs, Options{Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("Jan  5 10:00:02 pi sshd[2]: Failed password for admin from 192.0.2.2 port 2 ssh2\n")
	f.Close()
	srcs, errs := input.Expand([]string{path, log}, nil, time.Now())
	if len(errs) > 0 || len(srcs) != 2 {
		t.Fatalf("expanding: %v %v", srcs, errs)
	}
	st, err := Ingest(context.Background(), path, srcs, Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.FileErrors) != 1 || !strings.Contains(st.FileErrors[0].Error(), path+" is knockmap's database") {
		t.Errorf("the database given as a log: errors %v, want one naming it", st.FileErrors)
	}
	if st.NewRows != 1 || st.Bad != 0 {
		t.Errorf("loaded %d rows with %d bad lines, want the log's 1 new row and no bad line", st.NewRows, st.Bad)
	}
	db := openDB(t, path)
	var n int64
	if err := db.QueryRow(`SELECT count(*) FROM failed_logins`).Scan(&n); err != nil || n != 2 {
		t.Errorf("the database holds %d failed logins (%v), want 2", n, err)
	}
}
