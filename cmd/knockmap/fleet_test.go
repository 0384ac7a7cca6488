//go:build duckdb_arrow

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/pipeline/report"
	"github.com/knockmap/knockmap/pipeline/store"
)

// TestFleetReport: three hosts' databases, from different generated logs
// and each with its own --host, are exported; report --from over the three
// exports counts what the three databases hold together, and its page
// lists the three hosts with each one's attempts.
func TestFleetReport(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("KNOCKMAP_GEOIP", "")
	hosts := []string{"web-1", "db-1", "mail'1"} // a quote, for the SQL the views are made with
	want := map[string]int64{}
	var sum int64
	fleet := filepath.Join(dir, "fleet")
	for i, h := range hosts {
		log := filepath.Join(dir, fmt.Sprintf("auth%d.log", i))
		sharedtest.Generate(t, "--lines", fmt.Sprint(4000+3000*i), "--seed", fmt.Sprint(i+1), "--days", "40", "--out", log)
		db := filepath.Join(dir, fmt.Sprintf("k%d.duckdb", i))
		execute(t, "ingest", "--db", db, "--no-enrich", "--host", h, log)
		execute(t, "export", "--db", db, "--out", filepath.Join(fleet, fmt.Sprint(i)))
		s, err := store.Open(context.Background(), db, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := s.QueryRow(`SELECT CAST(sum(attempts) AS BIGINT) FROM failed_login_lines`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if n == 0 {
			t.Fatalf("%s: no failed logins", log)
		}
		want[h] = n
		sum += n
	}
	out := filepath.Join(dir, "report")
	printed := execute(t, "report", "--from", filepath.Join(fleet, "**", "*.parquet"), "--out", out)
	if !strings.Contains(printed, fmt.Sprintf("(%d failed logins)", sum)) {
		t.Errorf("report --from printed %q, want the three databases' %d failed logins", printed, sum)
	}

	// the same through the package, for the host list
	e, err := report.OpenExport(context.Background(), []string{filepath.Join(fleet, "**", "*.parquet")})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	res, err := report.Run(context.Background(), e.DB, report.Options{Out: filepath.Join(dir, "again")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Totals.Attempts != sum {
		t.Errorf("totals: %d attempts, want %d", res.Totals.Attempts, sum)
	}
	got := map[string]int64{}
	for _, h := range res.Hosts {
		got[h.Host] = h.Attempts
	}
	if len(res.Hosts) != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("hosts %v, want %v", got, want)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	options := regexp.MustCompile(`<option value="\d+">`).FindAll(page, -1)
	if len(options) != 3 || !strings.Contains(string(page), `<option value="">all 3 hosts</option>`) {
		t.Errorf("the page's host list has %d hosts, want 3", len(options))
	}
	for _, h := range []string{"web-1", "db-1", "mail&#39;1"} {
		if !strings.Contains(string(page), "<code>"+h+"</code>") {
			t.Errorf("the page does not list the host %s", h)
		}
	}

	// one host's export gives the date-range control the buckets its
	// database gives (which come from the rollups there, from the rows here)
	buckets := func(out string, args ...string) string {
		execute(t, append([]string{"report", "--out", out}, args...)...)
		page, err := os.ReadFile(filepath.Join(out, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		r := regexp.MustCompile(`(?m)^\s*var R = .*$`).Find(page)
		if len(r) < 100 {
			t.Fatalf("%s: no buckets of the date-range control in the page", out)
		}
		return string(r)
	}
	fromDB := buckets(filepath.Join(dir, "db0"), "--db", filepath.Join(dir, "k0.duckdb"))
	fromExport := buckets(filepath.Join(dir, "export0"), "--from", filepath.Join(fleet, "0", "**", "*.parquet"))
	if fromDB != fromExport {
		t.Errorf("the buckets from the database:\n%.2000s\nfrom its export:\n%.2000s", fromDB, fromExport)
	}
}

// TestFleetNoFiles: a --from that matches nothing fails before drawing,
// naming what it looked for.
func TestFleetNoFiles(t *testing.T) {
	dir := t.TempDir()
	_, err := run("report", "--from", filepath.Join(dir, "**", "*.parquet"), "--out", filepath.Join(dir, "r"))
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("report --from an empty folder: %v, want an error naming it", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "r")); err == nil {
		t.Errorf("the report folder was made")
	}
}
