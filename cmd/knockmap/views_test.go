//go:build duckdb_arrow

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/pipeline/store"
)

// TestNoViewsLeftBehind: loading reads each Arrow batch through a view
// that DuckDB makes in the database's own schema (the rollups' sums too,
// which go on into a temporary table). After an ingest, an enrich and a
// run that draws the report, the database holds only knockmap's own views
// and tables, and every view can be read (a view left pointing at a gone
// batch crashed its reader).
func TestNoViewsLeftBehind(t *testing.T) {
	dir := t.TempDir()
	var log strings.Builder
	for i := range 50 {
		fmt.Fprintf(&log, "2026-01-15T10:%02d:00+00:00 pi sshd[%d]: Failed password for root from 8.8.%d.%d port 4242 ssh2\n", i, 100+i, i, i+1)
	}
	logPath := filepath.Join(dir, "auth.log")
	os.WriteFile(logPath, []byte(log.String()), 0o644)
	db := filepath.Join(dir, "k.duckdb")
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("KNOCKMAP_GEOIP", "")
	execute(t, "ingest", "--db", db, logPath) // ingest, then enrich with the zero-setup default
	execute(t, "run", "--db", db, "--out", filepath.Join(dir, "report"), "--redraw", logPath)

	sdb, err := store.Open(context.Background(), db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	rows, err := sdb.Query(`SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name`)
	if err != nil {
		t.Fatal(err)
	}
	var views []string
	for rows.Next() {
		var v string
		rows.Scan(&v)
		views = append(views, v)
	}
	rows.Close()
	if want := []string{"asns", "connection_lines", "connection_names", "connection_stats", "connections", "events", "failed_login_lines", "failed_login_lines_geo", "failed_logins", "failed_logins_geo", "logins", "networks", "port_days_kept", "rollup_address_sums", "rollup_hour_sums", "rollup_username_sums", "slow_addresses"}; !slices.Equal(views, want) {
		t.Errorf("views %q, want %q", views, want)
	}
	var leftover int
	if err := sdb.QueryRow(`SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('attempts', 'rollup_batch')`).Scan(&leftover); err != nil || leftover != 0 {
		t.Errorf("a temporary table of the report or the rollups is in the database (%d, %v)", leftover, err)
	}
	var geo int
	if err := sdb.QueryRow(`SELECT count(*) FROM ip_geo`).Scan(&geo); err != nil || geo != 50 {
		t.Errorf("ip_geo holds %d rows (%v), want 50: the enrich did not load its batch", geo, err)
	}
	for _, v := range views {
		var n int
		if err := sdb.QueryRow(`SELECT count(*) FROM "` + v + `"`).Scan(&n); err != nil {
			t.Errorf("view %s: %v", v, err)
		}
	}
}
