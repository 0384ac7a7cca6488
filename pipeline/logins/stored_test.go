//go:build duckdb_arrow

package logins

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/internal/sqltest"
	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

// loginsDB opens a new database in dir (closed when the test ends) and
// returns it with what ingests files into it.
func loginsDB(t *testing.T, dir string) (*store.DB, func(files ...string)) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, func(files ...string) {
		t.Helper()
		srcs, errs := input.Expand(files, nil, time.Now())
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if _, err := ingest.Ingest(ctx, "", srcs, ingest.Options{Into: db, Location: time.UTC, Warn: &bytes.Buffer{}}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoginRowsStayComputed: the kept logins (login_rows) equal what
// logins_since computes from every row, after each Refresh, through what
// changes them: a first load, lines older than those loaded (a file read
// late, whose logins' sums reach every later login), a newer file, an
// address located somewhere else, and a source forgotten. After each
// change and before Refresh they are not Fresh, and Query gives the same
// logins either way.
func TestLoginRowsStayComputed(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.log")
	sharedtest.Generate(t, "--lines", "30000", "--format", "rfc3339", "--connections", filepath.Join(dir, "c.csv"), "--out", full)
	b, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	// three files by line: the first and last loaded first, the middle
	// one (older than the last) after them
	lines := strings.SplitAfter(string(b), "\n")
	third := len(lines) / 3
	parts := []string{strings.Join(lines[:third], ""), strings.Join(lines[third:2*third], ""), strings.Join(lines[2*third:], "")}
	paths := make([]string, 3)
	for i, p := range parts {
		paths[i] = filepath.Join(dir, []string{"a.log", "b.log", "c.log"}[i])
		if err := os.WriteFile(paths[i], []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	db, load := loginsDB(t, dir)
	count := func(q string) int64 {
		t.Helper()
		var n int64
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// notIn counts the rows of a that b does not have (as EXCEPT ALL
	// would), each query run on its own: one statement that computed the
	// logins twice ran out of DuckDB's 128 MB when other tests kept the
	// machine busy
	notIn := func(a, b string) int {
		t.Helper()
		have := map[string]int{}
		for _, r := range sqltest.Rows(t, db.DB, b) {
			have[strings.Join(r, "\x00")]++
		}
		n := 0
		for _, r := range sqltest.Rows(t, db.DB, a) {
			if k := strings.Join(r, "\x00"); have[k] > 0 {
				have[k]--
			} else {
				n++
			}
		}
		return n
	}
	const computedAll = `SELECT * FROM logins_since(CAST('-infinity' AS TIMESTAMPTZ))`
	// the logins view, kept rows and computed ones, is every login as
	// computed from the rows
	sameView := func(what string) {
		t.Helper()
		all := count(`SELECT count(*) FROM logins_since(CAST('-infinity' AS TIMESTAMPTZ))`)
		if n := count(`SELECT count(*) FROM logins`); n != all || all == 0 {
			t.Errorf("%s: the logins view has %d logins, the rows make %d", what, n, all)
		}
		if n := notIn(`SELECT * FROM logins`, computedAll); n != 0 {
			t.Errorf("%s: %d logins of the view are not as computed", what, n)
		}
	}
	check := func(what string, wantFrom time.Time, wantAll bool) {
		t.Helper()
		from, stale, err := StaleFrom(ctx, db.DB)
		if err != nil {
			t.Fatal(err)
		}
		if !stale || (wantAll != from.IsZero()) || (!wantAll && !from.Equal(wantFrom)) {
			t.Errorf("%s: stale %v from %v, want from %v (all: %v)", what, stale, from, wantFrom, wantAll)
		}
		computed, err := Query(ctx, db.DB, time.Time{}, true)
		if err != nil {
			t.Fatal(err)
		}
		sameView(what + ", stale")
		st, err := Refresh(ctx, db.DB)
		if err != nil {
			t.Fatal(err)
		}
		if fresh, err := Fresh(ctx, db.DB); err != nil || !fresh {
			t.Fatalf("%s: after Refresh (%+v) the rows are not fresh (%v)", what, st, err)
		}
		kept := count(`SELECT count(*) FROM login_rows`)
		if n := notIn(`SELECT * FROM login_rows`, computedAll); n != 0 {
			t.Errorf("%s: %d kept rows are not as computed", what, n)
		}
		if n := notIn(computedAll, `SELECT * FROM login_rows`); n != 0 {
			t.Errorf("%s: %d computed rows are not kept", what, n)
		}
		stored, err := Query(ctx, db.DB, time.Time{}, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != len(computed) || int64(len(stored)) != kept || kept == 0 {
			t.Errorf("%s: %d logins kept, %d read from them, %d computed before Refresh", what, kept, len(stored), len(computed))
		}
		for i := range min(len(stored), len(computed)) {
			s, c := stored[i], computed[i]
			if !s.TS.Equal(c.TS) || s.Username != c.Username || s.IP != c.IP || s.FailedBefore != c.FailedBefore ||
				s.NetworkFailedBefore != c.NetworkFailedBefore || s.StandsOut != c.StandsOut || strings.Join(s.Reasons, ";") != strings.Join(c.Reasons, ";") {
				t.Errorf("%s: login %d kept as %+v, computed as %+v", what, i, s, c)
				break
			}
		}
		if st.Computed > kept || !st.Stale {
			t.Errorf("%s: Refresh %+v of %d logins", what, st, kept)
		}
		sameView(what + ", fresh")
	}
	firstTS := func(path string) time.Time {
		t.Helper()
		var ts time.Time
		err := db.QueryRowContext(ctx, `SELECT min(e.ts) FROM event_rows AS e JOIN sources AS s ON s.id = e.source_id
			WHERE s.path = ? AND e.kind_id IN (SELECT id FROM kinds WHERE name IN ('failed', 'accepted'))`, path).Scan(&ts)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}

	if _, stale, err := StaleFrom(ctx, db.DB); err != nil || !stale {
		t.Fatalf("a new database's kept logins: stale %v (%v), want stale", stale, err)
	}
	load(paths[0], paths[2])
	check("first load", time.Time{}, true)
	if fresh, _ := Fresh(ctx, db.DB); !fresh {
		t.Fatal("not fresh after Refresh")
	}
	// the middle third, older than the last: its logins and every later
	// one are computed again, the first third's are kept
	before := count(`SELECT count(*) FROM login_rows`)
	load(paths[1])
	check("an older file read late", firstTS(paths[1]), false)
	if after := count(`SELECT count(*) FROM login_rows`); after <= before {
		t.Errorf("the middle third added no login (%d, then %d)", before, after)
	}
	// an address with logins located somewhere else
	var ip string
	var first time.Time
	if err := db.QueryRowContext(ctx, `SELECT ip, min(ts) FROM login_rows GROUP BY ip ORDER BY count(*) DESC, ip LIMIT 1`).Scan(&ip, &first); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO ip_geo (ip, scope, country_code, country, asn, as_org, enriched_at)
		VALUES (?, 'public', 'NZ', 'New Zealand', 64512, 'Test', now())`, ip); err != nil {
		t.Fatal(err)
	}
	var firstLine time.Time
	if err := db.QueryRowContext(ctx, `SELECT min(ts) FROM event_rows WHERE ip_id = (SELECT id FROM dict WHERE value = ?)
		AND kind_id IN (SELECT id FROM kinds WHERE name IN ('failed', 'accepted'))`, ip).Scan(&firstLine); err != nil {
		t.Fatal(err)
	}
	check("an address located", firstLine, false)
	if n := count(`SELECT count(*) FROM login_rows WHERE country = 'New Zealand'`); n == 0 {
		t.Error("the located address's logins were not computed again")
	}
	// located again in the same place (enrich --refresh): what the logins
	// read of it is the same, and so are they
	if _, err := db.ExecContext(ctx, `UPDATE ip_geo SET enriched_at = now() + INTERVAL 1 DAY, source = 'again', city = 'Elsewhere'`); err != nil {
		t.Fatal(err)
	}
	if fresh, err := Fresh(ctx, db.DB); err != nil || !fresh {
		t.Errorf("every address located again where it was: the kept logins are not fresh (%v)", err)
	}
	// a forgotten source: every row is computed again
	if _, err := ingest.Forget(ctx, db.DB, []string{paths[1]}, time.Now()); err != nil {
		t.Fatal(err)
	}
	check("a source forgotten", time.Time{}, true)
	// nothing changed: nothing to do
	if st, err := Refresh(ctx, db.DB); err != nil || st.Stale || st.Computed != 0 {
		t.Errorf("a Refresh with nothing new: %+v, %v", st, err)
	}
}

// TestComputingPutsBack: computing turns build_side_probe_side off on its
// connection, keeps what was off already, and puts the setting back.
func TestComputingPutsBack(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	setting := func() string {
		t.Helper()
		var s string
		if err := conn.QueryRowContext(ctx, `SELECT current_setting('disabled_optimizers')::VARCHAR`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, was := range []string{"", "late_materialization"} {
		if _, err := conn.ExecContext(ctx, `SET disabled_optimizers = '`+was+`'`); err != nil {
			t.Fatal(err)
		}
		restore, err := computing(ctx, conn, conn)
		if err != nil {
			t.Fatal(err)
		}
		got := setting()
		if !strings.Contains(got, computeOptimizer) || (was != "" && !strings.Contains(got, was)) {
			t.Errorf("while computing (before: %q): %q", was, got)
		}
		restore()
		if got := setting(); got != was {
			t.Errorf("put back %q, want %q", got, was)
		}
	}
}

// TestLoginReaddressed: a kept login whose line named no address (a host
// name, UseDNS) is stale once a later line of its connection, read on a
// later night, names one, and is computed again with it.
func TestLoginReaddressed(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	if err := os.WriteFile(log, []byte("2026-03-01T10:00:00Z pi sshd[500]: Accepted password for pi from gw.example.net port 4242 ssh2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, loadFiles := loginsDB(t, dir)
	load := func() { t.Helper(); loadFiles(log) }
	kept := func() string {
		t.Helper()
		var ip sql.NullString
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*), any_value(ip) FROM login_rows`).Scan(&n, &ip); err != nil || n != 1 {
			t.Fatalf("%d kept logins (%v), want 1", n, err)
		}
		return ip.String
	}
	load()
	if _, err := Refresh(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	if ip := kept(); ip != "" {
		t.Fatalf("the login's address before its connection named one: %q", ip)
	}
	f, err := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("2026-03-01T10:05:00Z pi sshd[500]: Received disconnect from 203.0.113.9 port 4242:11: disconnected by user\n")
	f.Close()
	load()
	from, stale, err := StaleFrom(ctx, db.DB)
	if want := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC); err != nil || !stale || !from.Equal(want) {
		t.Fatalf("after the connection named its address: stale %v from %v (%v), want from %v", stale, from, err, want)
	}
	if _, err := Refresh(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	if ip := kept(); ip != "203.0.113.9" {
		t.Errorf("the login's address after its connection named one: %q", ip)
	}
	if fresh, err := Fresh(ctx, db.DB); err != nil || !fresh {
		t.Errorf("not fresh after Refresh (%v)", err)
	}
}

// TestRefreshPutsBack: Refresh asks whether anything is stale with
// DuckDB's own optimizers, computes with build_side_probe_side off, and
// leaves the session's setting as it found it once its transaction is
// over (the pool hands the connection on).
func TestRefreshPutsBack(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	os.WriteFile(log, []byte("2026-01-05T10:00:00Z pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"+
		"2026-01-05T10:00:09Z pi sshd[2]: Accepted password for root from 192.0.2.1 port 2 ssh2\n"), 0o644)
	ctx := context.Background()
	db, load := loginsDB(t, dir)
	load(log)
	db.SetMaxOpenConns(1) // Refresh's connection is the one read below
	if _, err := db.ExecContext(ctx, `SET disabled_optimizers = 'late_materialization'`); err != nil {
		t.Fatal(err)
	}
	st, err := Refresh(ctx, db.DB)
	if err != nil || !st.Stale || st.Computed != 1 {
		t.Fatalf("Refresh: %+v, %v; want the one login computed", st, err)
	}
	var got string
	if err := db.QueryRowContext(ctx, `SELECT current_setting('disabled_optimizers')::VARCHAR`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "late_materialization" {
		t.Errorf("after Refresh the session's optimizers are off as %q, want %q", got, "late_materialization")
	}
}

// TestLoginOwnConnection: a login in the connection where its address
// first failed. Its connection's attempts count those of the login's own
// second; the attempts before it are those of its other connection; and
// they are failing since that connection's first attempt, not since the
// address's first (which was in the login's own connection).
func TestLoginOwnConnection(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	os.WriteFile(log, []byte(
		"2026-01-05T10:00:00Z pi sshd[100]: Failed password for root from 192.0.2.7 port 1000 ssh2\n"+
			"2026-01-05T10:00:05Z pi sshd[100]: Failed password for root from 192.0.2.7 port 1000 ssh2\n"+
			"2026-01-05T10:01:00Z pi sshd[200]: Failed password for admin from 192.0.2.7 port 2000 ssh2\n"+
			"2026-01-05T10:02:00Z pi sshd[100]: Failed password for root from 192.0.2.7 port 1000 ssh2\n"+
			"2026-01-05T10:02:00Z pi sshd[100]: Accepted password for root from 192.0.2.7 port 1000 ssh2\n"), 0o644)
	db, load := loginsDB(t, dir)
	load(log)
	ctx := context.Background()
	check := func(what string) {
		t.Helper()
		var before, inConn int64
		var since time.Time
		if err := db.QueryRowContext(ctx, `SELECT failed_before, failed_since, failed_in_connection FROM logins`).Scan(&before, &since, &inConn); err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 1, 5, 10, 1, 0, 0, time.UTC); before != 1 || inConn != 3 || !since.Equal(want) {
			t.Errorf("%s: failed before %d (want 1), in its connection %d (want 3), since %v (want %v)", what, before, inConn, since.UTC(), want)
		}
	}
	check("computed")
	if _, err := Refresh(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	check("kept")
}

// TestKeptLoginsRankComputedOnes: a night's logins are ranked after the
// kept logins of the nights before (schema 35 sums those instead of
// ranking them again): a login from an address, ASN, country, hour and
// key the user had in a kept login is no first of any of them, and one
// from new ones is a first of each, the same as when every login is
// computed.
func TestKeptLoginsRankComputedOnes(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, load := loginsDB(t, dir)
	for _, g := range []struct{ ip, code, country string }{
		{"203.0.113.1", "NZ", "New Zealand"}, {"203.0.113.2", "NZ", "New Zealand"}, {"203.0.113.3", "NZ", "New Zealand"}, {"198.51.100.9", "AU", "Australia"},
	} {
		asn := 64512
		if g.code == "AU" {
			asn = 64513
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO ip_geo (ip, scope, country_code, country, asn, as_org, enriched_at)
			VALUES (?, 'public', ?, ?, ?, 'Test', now())`, g.ip, g.code, g.country, asn); err != nil {
			t.Fatal(err)
		}
	}
	log := filepath.Join(dir, "auth.log")
	accepted := func(day, hour, pid int, ip, key string) string {
		return fmt.Sprintf("2026-03-%02dT%02d:00:00+00:00 pi sshd[%d]: Accepted publickey for pi from %s port %d ssh2: ED25519 SHA256:%s\n", day, hour, pid, ip, 50000+pid, key)
	}
	night1 := accepted(1, 10, 100, "203.0.113.1", "keyone") + accepted(2, 10, 101, "203.0.113.2", "keyone")
	if err := os.WriteFile(log, []byte(night1), 0o644); err != nil {
		t.Fatal(err)
	}
	load(log)
	if _, err := Refresh(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	night2 := night1 + accepted(5, 10, 102, "203.0.113.3", "keyone") + accepted(6, 11, 103, "198.51.100.9", "keytwo") +
		accepted(7, 10, 104, "203.0.113.1", "keyone")
	if err := os.WriteFile(log, []byte(night2), 0o644); err != nil {
		t.Fatal(err)
	}
	load(log)
	st, err := Refresh(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	if st.From.IsZero() || st.Computed != 3 {
		t.Fatalf("the second night's Refresh computed %d logins from %v, want its 3 with the first night's kept", st.Computed, st.From)
	}
	const cols = `ip, first_from_address, first_from_asn, first_from_country, new_hour, new_key, stands_out`
	kept := sqltest.Rows(t, db.DB, `SELECT `+cols+` FROM login_rows ORDER BY ts`)
	computed := sqltest.Rows(t, db.DB, `SELECT `+cols+` FROM logins_since(CAST('-infinity' AS TIMESTAMPTZ)) ORDER BY ts`)
	want := [][]string{
		{"203.0.113.1", "false", "false", "false", "false", "false", "false"},
		{"203.0.113.2", "true", "false", "false", "false", "false", "true"},
		{"203.0.113.3", "true", "false", "false", "false", "false", "true"},
		{"198.51.100.9", "true", "true", "true", "true", "true", "true"},
		{"203.0.113.1", "false", "false", "false", "false", "false", "false"},
	}
	if fmt.Sprint(kept) != fmt.Sprint(want) || fmt.Sprint(computed) != fmt.Sprint(want) {
		t.Errorf("the logins (%s)\nkept:     %v\ncomputed: %v\nwant:     %v", cols, kept, computed, want)
	}
}
