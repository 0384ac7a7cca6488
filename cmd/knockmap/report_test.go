//go:build duckdb_arrow

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReportSinceAfterUntil: a period that ends before it starts is
// refused before the database is opened, naming both values as given.
func TestReportSinceAfterUntil(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.duckdb")
	for _, c := range []struct{ since, until string }{
		{"2026-02-01", "2026-01-01"},
		{"2026-01-01T12:00:00Z", "2026-01-01T06:00:00Z"},
	} {
		out, err := run("report", "--db", db, "--out", t.TempDir(), "--since", c.since, "--until", c.until)
		if err == nil {
			t.Fatalf("--since %s --until %s: no error (%s)", c.since, c.until, out)
		}
		for _, s := range []string{"--since " + c.since, "--until " + c.until} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not name %q", err, s)
			}
		}
	}
}
