//go:build duckdb_arrow

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/pipeline/store"
)

// run runs knockmap with args and returns what it printed and its error.
func run(args ...string) (string, error) {
	var out bytes.Buffer
	err := runRoot(context.Background(), newRoot(), args, &out, &out)
	return out.String(), err
}

// queryFixture is a database with a few failed logins, exported as
// Parquet into dir/pq, and beside it a file that no query may read.
func queryFixture(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	var log strings.Builder
	for i := range 5 {
		fmt.Fprintf(&log, "2026-01-15T10:%02d:00+00:00 pi sshd[%d]: Failed password for invalid user u%d from 198.51.100.%d port 4242 ssh2\n", i, 100+i, i, i+1)
	}
	logPath := filepath.Join(dir, "auth.log")
	os.WriteFile(logPath, []byte(log.String()), 0o644)
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("hunter2\n"), 0o600)
	db = filepath.Join(dir, "k.duckdb")
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("KNOCKMAP_GEOIP", "")
	execute(t, "ingest", "--db", db, "--no-enrich", logPath)
	execute(t, "export", "--db", db, "--out", filepath.Join(dir, "pq"))
	return dir, db
}

// TestQueryReadOnly: knockmap query reads the database and nothing else.
// Each way out (writing a file, attaching another database, reading a
// file, installing or loading an extension, changing the settings back,
// several statements) fails and leaves no file behind, with or without a
// folder of Parquet allowed.
func TestQueryReadOnly(t *testing.T) {
	dir, db := queryFixture(t)
	made := filepath.Join(dir, "made")
	secret := filepath.Join(dir, "secret.txt")
	pq := filepath.Join(dir, "pq")
	escapes := []string{
		`COPY (SELECT 1) TO '` + made + `.csv'`,
		`COPY failed_logins TO '` + filepath.Join(pq, "made.csv") + `'`,
		`ATTACH '` + made + `.duckdb' AS other; CREATE TABLE other.t AS SELECT * FROM failed_logins`,
		`EXPORT DATABASE '` + made + `'`,
		`SELECT * FROM read_text('/etc/shadow')`,
		`SELECT * FROM read_text('` + secret + `')`,
		`SELECT * FROM read_csv('` + secret + `')`,
		`SELECT * FROM read_text('` + filepath.Join(pq, "..", "secret.txt") + `')`,
		`INSTALL httpfs`,
		`LOAD httpfs`,
		`SET enable_external_access = true`,
		`RESET lock_configuration`,
		`PRAGMA enable_profiling`,
		`SELECT 1; COPY (SELECT 1) TO '` + made + `.multi.csv'`,
		`SELECT 1; SET enable_external_access = true; SELECT * FROM read_text('` + secret + `')`,
		`SELECT * FROM query('COPY (SELECT 1) TO ''` + made + `.q.csv''')`,
		`CREATE TABLE more AS SELECT 1`,
	}
	before := listing(t, dir)
	for _, allow := range [][]string{nil, {"--allow-files", pq}} {
		for _, q := range escapes {
			args := append(append([]string{"query", "--db", db}, allow...), q)
			out, err := run(args...)
			if err == nil {
				t.Errorf("knockmap query %v %s: no error, printed %d bytes", allow, q, len(out))
			}
			if strings.Contains(out, "hunter2") || strings.Contains(fmt.Sprint(err), "hunter2") {
				t.Errorf("knockmap query %s shows the secret", q)
			}
		}
	}
	if after := listing(t, dir); !slices.Equal(after, before) {
		t.Errorf("files before %q\nafter %q", before, after)
	}
}

// TestQueryStillAnswers: ordinary SQL, the views, the named queries with
// their parameters and --list all work on the confined database, and
// --allow-files DIR lets the SQL read DIR's Parquet and nothing beside it.
func TestQueryStillAnswers(t *testing.T) {
	dir, db := queryFixture(t)
	pq := filepath.Join(dir, "pq")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"SELECT count(*) AS n FROM failed_logins"}, "5"},
		{[]string{"SELECT count(*) AS n FROM events"}, "5"},
		{[]string{"SELECT username FROM failed_logins_geo ORDER BY username LIMIT 1"}, "u0"},
		{[]string{"--format", "csv", "FROM failed_logins SELECT max(ip)"}, "198.51.100.5"},
		{[]string{"top_usernames", "--param", "limit=2"}, "u0"},
		{[]string{"top_addresses"}, "198.51.100.1"},
		{[]string{"--list"}, "top_countries"},
		{[]string{"--allow-files", pq, "SELECT count(*) AS parquet_rows FROM read_parquet('" + pq + "/**/*.parquet')"}, "5"},
		{[]string{"--allow-files", pq, "SELECT count(*) AS n FROM '" + pq + "/year=2026/month=1/*.parquet'"}, "5"},
	} {
		out, err := run(append([]string{"query", "--db", db}, c.args...)...)
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("knockmap query %q: %v, printed %q; want %s in it", c.args, err, out, c.want)
		}
	}
	if lines := strings.Count(execute(t, "query", "--db", db, "top_usernames", "--param", "limit=2"), "\n"); lines != 3 {
		t.Errorf("top_usernames --param limit=2: %d lines, want a header and 2 rows", lines)
	}
	// the Parquet without --allow-files, and a file beside the allowed folder
	os.WriteFile(filepath.Join(dir, "beside.csv"), []byte("a\n1\n"), 0o644)
	for _, args := range [][]string{
		{"SELECT count(*) FROM read_parquet('" + pq + "/**/*.parquet')"},
		{"--allow-files", pq, "SELECT * FROM read_csv('" + filepath.Join(dir, "beside.csv") + "')"},
		{"--allow-files", pq, "SELECT * FROM read_csv('" + filepath.Join(pq, "..", "beside.csv") + "')"},
	} {
		if out, err := run(append([]string{"query", "--db", db}, args...)...); err == nil {
			t.Errorf("knockmap query %q: no error, printed %q", args, out)
		}
	}
}

// listing is every file under dir.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestQueryMemoryLimit: a query runs under knockmap's memory limit; one
// that runs out under it (a list aggregate, which DuckDB cannot spill)
// runs again under DuckDB's own limit and says so, unless the user set
// KNOCKMAP_MEMORY_LIMIT, which is then the only limit.
func TestQueryMemoryLimit(t *testing.T) {
	_, db := queryFixture(t)
	t.Setenv("KNOCKMAP_MEMORY_LIMIT", "")
	out, err := run("query", "--db", db, "--format", "csv", "SELECT current_setting('memory_limit') AS m")
	if err != nil || !strings.Contains(out, "122.0 MiB") {
		t.Errorf("a query's memory limit: %v, printed %q; want 122.0 MiB (%s)", err, out, store.DefaultMemoryLimit)
	}
	defer func(l string) { queryFirstLimit = l }(queryFirstLimit)
	queryFirstLimit = "16MB"
	lists := "SELECT count(*) AS groups, sum(len(l)) AS items FROM (SELECT i % 1000000 AS k, list(i) AS l FROM range(3000000) AS t(i) GROUP BY k)"
	out, err = run("query", "--db", db, "--format", "csv", lists)
	if err != nil || !strings.Contains(out, "1000000,3000000") || !strings.Contains(out, "running it again under DuckDB's own limit") {
		t.Errorf("a query that runs out under 16MB: %v, printed %q; want its answer after a second try", err, out)
	}
	if strings.Count(out, "groups,items") != 1 {
		t.Errorf("the second try printed the header again: %q", out)
	}
	t.Setenv("KNOCKMAP_MEMORY_LIMIT", "16MB")
	if out, err := run("query", "--db", db, lists); err == nil || strings.Contains(out, "running it again") {
		t.Errorf("under KNOCKMAP_MEMORY_LIMIT=16MB: %v, printed %q; want it to run out, once", err, out)
	}
}
