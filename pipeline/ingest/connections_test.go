//go:build duckdb_arrow

package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/internal/sqltest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
	"github.com/knockmap/knockmap/sql"
)

// connectionsView opens a database whose connections view is read as
// knockmap query's second try reads it, under a limit above knockmap's
// (store.DefaultMemoryLimit): its ordered lists cannot spill, and over
// 40k lines they take more than 128 MB.
var connectionsView = store.Options{MemoryLimit: "2GB"}

// checkConnections checks the connections view against gen-authlog's
// conns.csv: the same count, and for every planted connection one found
// with the same host and pid, starting within a second, with the same
// address (::ffff:a.b.c.d stored as a.b.c.d), attempts, outcome and
// number of lines.
func checkConnections(t *testing.T, dbq func(q string, dest ...any), connsCSV string) {
	t.Helper()
	var truth, got, matched, ip, attempts, outcome, lines int64
	dbq(fmt.Sprintf(`WITH truth AS (SELECT * FROM read_csv('%s', header = true, all_varchar = true)),
		m AS (
			SELECT t.*, g.id, g.ip AS gip, g.attempts AS gatt, g.outcome AS gout, g.lines AS glines
			FROM truth AS t
			LEFT JOIN connections AS g ON g.host = t.host AND g.pid = CAST(t.pid AS INTEGER)
			 AND abs(epoch(g.first_ts) - epoch(CAST(t.start_utc AS TIMESTAMP) AT TIME ZONE 'UTC')) < 1)
		SELECT (SELECT count(*) FROM truth), (SELECT count(*) FROM connections),
		       count(id),
		       count(*) FILTER (WHERE gip = CASE WHEN ip LIKE '::ffff:%%' THEN substr(ip, 8) ELSE ip END),
		       count(*) FILTER (WHERE gatt = CAST(attempts AS BIGINT)),
		       count(*) FILTER (WHERE gout = outcome),
		       count(*) FILTER (WHERE glines = CAST(lines AS BIGINT))
		FROM m`, connsCSV), &truth, &got, &matched, &ip, &attempts, &outcome, &lines)
	if truth == 0 {
		t.Fatal("conns.csv is empty")
	}
	t.Logf("%d connections planted, %d found; matched %d, address %d, attempts %d, outcome %d, lines %d", truth, got, matched, ip, attempts, outcome, lines)
	for name, n := range map[string]int64{"found": got, "matched by host, pid and start": matched, "same address": ip, "same attempts": attempts, "same outcome": outcome, "same lines": lines} {
		if n != truth {
			t.Errorf("%s: %d of %d", name, n, truth)
		}
	}
}

// TestConnectionsTruth: on gen-authlog's connection profile, in each of
// its formats and rotated, the connections knockmap finds are the planted
// ones, and failed_logins still equals the truth.
func TestConnectionsTruth(t *testing.T) {
	gen := sharedtest.GenAuthlog(t)
	for _, format := range []string{"syslog", "rfc3339", "short-iso", "json"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "logs", "auth.log")
			os.MkdirAll(filepath.Dir(out), 0o755)
			conns, truth := filepath.Join(dir, "conns.csv"), filepath.Join(dir, "truth.csv")
			if b, err := exec.Command("python3", gen, "--lines", "40000", "--format", format, "--rotate", "3",
				"--connections", conns, "--truth", truth, "--out", out).CombinedOutput(); err != nil {
				t.Fatalf("gen-authlog: %v\n%s", err, b)
			}
			db := openDBWith(t, filepath.Join(dir, "k.duckdb"), connectionsView)
			ingestPaths(t, db, out+".2.gz", out+".1", out)
			checkConnections(t, func(q string, dest ...any) {
				if err := db.QueryRow(q).Scan(dest...); err != nil {
					t.Fatal(err)
				}
			}, conns)
			compareTruth(t, db, truth)
		})
	}
}

// TestConnectionsTwoNights: the same log read in two nights, cut in the
// middle of connections, gives the same connections as one night.
func TestConnectionsTwoNights(t *testing.T) {
	gen := sharedtest.GenAuthlog(t)
	dir := t.TempDir()
	full := filepath.Join(dir, "full.log")
	conns := filepath.Join(dir, "conns.csv")
	if b, err := exec.Command("python3", gen, "--lines", "30000", "--connections", conns, "--out", full).CombinedOutput(); err != nil {
		t.Fatalf("gen-authlog: %v\n%s", err, b)
	}
	all, _ := os.ReadFile(full)
	fi, _ := os.Stat(full)
	log := filepath.Join(dir, "auth.log")
	// cut at the middle line: connections are open across the cut
	cut := bytes.IndexByte(all[len(all)/2:], '\n') + len(all)/2 + 1
	os.WriteFile(log, all[:cut], 0o644)
	os.Chtimes(log, fi.ModTime(), fi.ModTime())
	db := openDBWith(t, filepath.Join(dir, "k.duckdb"), connectionsView)
	ingestPaths(t, db, log)
	f, _ := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(all[cut:])
	f.Close()
	os.Chtimes(log, fi.ModTime(), fi.ModTime())
	srcs, _ := input.Expand([]string{log}, nil, time.Now())
	if _, err := loadExisting(context.Background(), db.DB, srcs, Options{Location: time.UTC, Warn: &bytes.Buffer{}}); err != nil {
		t.Fatal(err)
	}
	var open int64
	db.QueryRow(`SELECT count(*) FROM conn_open`).Scan(&open)
	t.Logf("%d connections open at the end", open)
	checkConnections(t, func(q string, dest ...any) {
		if err := db.QueryRow(q).Scan(dest...); err != nil {
			t.Fatal(err)
		}
	}, conns)
	checkConnectionQueries(t, db)
}

// checkConnectionQueries checks the named queries over connections
// (sql/queries), which pick their rows by id (from connection_stats, or
// by span for longest_connections, whose kept lines go to
// connection_stats_from) and join text and lists to those only, against
// the same asked of the connections view, row for row.
func checkConnectionQueries(t *testing.T, db *store.DB) {
	t.Helper()
	for _, c := range []struct{ name, view string }{
		{"longest_connections", `SELECT id, host, pid, ip, port, first_ts, last_ts, last_ts - first_ts AS lasted,
			attempts, outcome, ended_with, usernames, lines
			FROM connections ORDER BY lasted DESC, id LIMIT 20`},
		{"connections_per_address", `SELECT ip, count(*) AS connections,
			count(*) FILTER (WHERE outcome = 'accepted'), count(*) FILTER (WHERE outcome = 'failed'),
			count(*) FILTER (WHERE outcome = 'refused'), count(*) FILTER (WHERE outcome = 'probe'),
			sum(attempts), min(first_ts), max(last_ts)
			FROM connections GROUP BY ip ORDER BY connections DESC, ip LIMIT 20`},
		{"outcomes_per_day", `SELECT utc_day(first_ts) AS day, count(*),
			count(*) FILTER (WHERE outcome = 'accepted'), count(*) FILTER (WHERE outcome = 'failed'),
			count(*) FILTER (WHERE outcome = 'refused'), count(*) FILTER (WHERE outcome = 'probe')
			FROM connections WHERE first_ts >= (SELECT max(first_ts) FROM connections) - INTERVAL 30 DAY
			GROUP BY day ORDER BY day`},
	} {
		nq, err := sqlfiles.Query(c.name)
		if err != nil {
			t.Fatal(err)
		}
		got, want := sqltest.Rows(t, db.DB, nq.SQL, nq.Args(nil)...), sqltest.Rows(t, db.DB, c.view)
		if len(want) < 2 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s gives %d rows\n%v\nthe connections view %d\n%v", c.name, len(got), got, len(want), want)
		}
	}
}

// TestConnectionEndedWith: a connection's ended_with is the kind of its
// last line read, also when lines before it share its second (the view
// once took whichever line of that second its scan met first).
func TestConnectionEndedWith(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	var b strings.Builder
	for i := range 50 {
		fmt.Fprintf(&b, "Mar  3 10:%02d:01 pi sshd[%d]: Failed password for root from 203.0.113.%d port 5%04d ssh2\n", i, 200+i, i+1, i)
		fmt.Fprintf(&b, "Mar  3 10:%02d:05 pi sshd[%d]: Failed password for root from 203.0.113.%d port 5%04d ssh2\n", i, 200+i, i+1, i)
		fmt.Fprintf(&b, "Mar  3 10:%02d:05 pi sshd[%d]: Connection closed by authenticating user root 203.0.113.%d port 5%04d [preauth]\n", i, 200+i, i+1, i)
	}
	os.WriteFile(log, []byte(b.String()), 0o644)
	db := openDBWith(t, filepath.Join(dir, "k.duckdb"), connectionsView)
	ingestPaths(t, db, log)
	var n, closed int64
	if err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE ended_with = 'preauth_close') FROM connections`).Scan(&n, &closed); err != nil {
		t.Fatal(err)
	}
	if n != 50 || closed != n {
		t.Errorf("%d connections, %d of them ended with preauth_close; want 50 and 50", n, closed)
	}
}
