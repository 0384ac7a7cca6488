//go:build duckdb_arrow

package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/internal/sqltest"
	"github.com/knockmap/knockmap/pipeline/store"
	sqlfiles "github.com/knockmap/knockmap/sql"
)

// The status statements as they were, over the view failed_login_lines:
// the ones in sql/status read event_rows by ip_id and must agree.
const (
	oldStatusTotals = `WITH first AS (SELECT ip, min(ts) AS first_ts FROM failed_login_lines GROUP BY ip)
SELECT (SELECT min(ts) FROM event_rows), (SELECT max(ts) FROM event_rows),
       (SELECT CAST(coalesce(sum(attempts), 0) AS BIGINT) FROM failed_login_lines),
       (SELECT count(*) FROM first),
       (SELECT count(*) FROM first WHERE utc_day(first_ts) = CAST($today AS DATE))`
	oldStatusNew = `WITH per AS (
    SELECT ip, CAST(sum(attempts) AS BIGINT) AS attempts, min(ts) AS first_ts, max(ts) AS last_ts
    FROM failed_login_lines WHERE ip IS NOT NULL GROUP BY ip
), new AS (SELECT * FROM per WHERE first_ts > $since)
SELECT ip, attempts, first_ts, last_ts, (SELECT count(*) FROM new) AS total
FROM new ORDER BY attempts DESC, ip LIMIT $top`
	oldStatusActive = `WITH recent AS (
    SELECT ip, CAST(sum(attempts) AS BIGINT) AS attempts, max(ts) AS last_ts
    FROM failed_login_lines WHERE ip IS NOT NULL AND ts >= $from AND ts <= $now GROUP BY ip
)
SELECT r.ip, r.attempts, (SELECT min(f.ts) FROM failed_login_lines AS f WHERE f.ip = r.ip) AS first_ts,
       r.last_ts, (SELECT count(*) FROM recent) AS total
FROM recent AS r ORDER BY r.attempts DESC, r.ip LIMIT $top`
)

// TestStatusByIDMatchesView: over gen-authlog's log (50k lines), the
// totals, new and active addresses of sql/status equal those of the old
// statements over failed_login_lines, for days and windows across the
// log, and the cases are not all empty.
func TestStatusByIDMatchesView(t *testing.T) {
	ctx := context.Background()
	sdb := generatedDB(t, "--lines", "50000")
	var first, last time.Time
	if err := sdb.QueryRowContext(ctx, `SELECT min(ts), max(ts) FROM event_rows`).Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	nonEmpty := 0
	for i := 0; i <= 4; i++ {
		at := first.Add(time.Duration(i) * last.Sub(first) / 4)
		for _, c := range []struct {
			name, old, stmt string
			args            []any
		}{
			{"totals", oldStatusTotals, "status/totals", []any{sql.Named("today", at.UTC().Format("2006-01-02"))}},
			{"new", oldStatusNew, "status/new_addresses", []any{sql.Named("since", at), sql.Named("top", 1000)}},
			{"active", oldStatusActive, "status/active_addresses", []any{sql.Named("from", at.Add(-24*time.Hour)), sql.Named("now", at), sql.Named("top", 1000)}},
		} {
			want, got := sqltest.Rows(t, sdb.DB, c.old, c.args...), sqltest.Rows(t, sdb.DB, sqlfiles.Statement(c.stmt), c.args...)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s at %s: %d rows, want %d:\n got %v\nwant %v", c.name, at, len(got), len(want), got, want)
			}
			if c.name != "totals" && len(want) > 0 {
				nonEmpty++
			}
		}
	}
	if nonEmpty < 4 {
		t.Errorf("only %d of the new and active cases have rows: the comparison says little", nonEmpty)
	}
}

// generatedDB is a gen-authlog log made with args, ingested without
// locating into a new database, which it opens read-only for t.
func generatedDB(t *testing.T, args ...string) *store.DB {
	t.Helper()
	dir := t.TempDir()
	auth := filepath.Join(dir, "auth.log")
	sharedtest.Generate(t, append(args, "--out", auth)...)
	db := filepath.Join(dir, "k.duckdb")
	execute(t, "ingest", "--db", db, "--no-enrich", auth)
	sdb, err := store.Open(context.Background(), db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sdb.Close() })
	return sdb
}
