//go:build duckdb_arrow

package logins

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/ingest"
)

// firstsFromRows counts the addresses whose kept first attempts
// (address_firsts) differ from those of every failed row: the first, the
// first in another connection, and the first's connection where no other
// connection began at the same time.
const firstsFromRows = `
WITH conns AS (
    SELECT ip_id, conn, min(ts) AS ts FROM event_rows
    WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') AND ip_id <> 0
    GROUP BY ip_id, conn
), want AS (
    SELECT ip_id, min(ts) AS ts, arg_min(conn, ts) AS conn, min(ts, 2)[2] AS other_ts FROM conns GROUP BY ip_id
)
SELECT count(*), (SELECT count(*) FROM want)
FROM want AS w FULL JOIN address_firsts AS k USING (ip_id)
WHERE w.ts IS DISTINCT FROM k.ts OR w.other_ts IS DISTINCT FROM k.other_ts
   OR (w.other_ts IS DISTINCT FROM w.ts AND w.conn IS DISTINCT FROM k.conn)`

// TestAddressFirstsKeptEqualRows: after each Refresh the kept first
// attempts equal those of every failed row, through a first load, a file
// of older lines read late (earlier connections), lines that continue a
// connection and begin others, and a forget (every first read again);
// and the logins computed from them before a Refresh (the kept firsts
// with the lines read since) equal those computed after it.
func TestAddressFirstsKeptEqualRows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, load := loginsDB(t, dir)
	line := func(day, sec, pid, ip int, what string) string {
		return fmt.Sprintf("Mar %2d 10:%02d:%02d pi sshd[%d]: %s from 192.0.2.%d port %d ssh2\n", day, sec/60, sec%60, pid, what, ip, 40000+pid)
	}
	var a []string
	for i := range 30 {
		a = append(a, line(10, i, 100+i%6, i%4, "Failed password for root"))
	}
	a = append(a, line(10, 40, 300, 1, "Accepted password for pi"), line(11, 5, 301, 2, "Accepted password for pi"))
	pa := writeLines(t, filepath.Join(dir, "a.log"), false, a...)
	check := func(when string) {
		t.Helper()
		if _, err := Refresh(ctx, db.DB); err != nil {
			t.Fatal(err)
		}
		var differ, addresses int
		if err := db.QueryRowContext(ctx, firstsFromRows).Scan(&differ, &addresses); err != nil {
			t.Fatal(err)
		}
		if differ != 0 || addresses == 0 {
			t.Errorf("%s: %d of %d addresses' kept first attempts differ from the rows'", when, differ, addresses)
		}
	}
	logins := func() string {
		t.Helper()
		var s string
		if err := db.QueryRowContext(ctx, `SELECT string_agg(ts || ' ' || ip || ' ' || failed_before || ' ' || coalesce(CAST(failed_since AS VARCHAR), '-')
			|| ' ' || failed_in_connection, '; ' ORDER BY ts, ip) FROM logins_since(CAST('-infinity' AS TIMESTAMPTZ))`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	load(pa)
	check("a first load")
	// older lines, read late: earlier connections of the same addresses
	var b []string
	for i := range 12 {
		b = append(b, line(3, i, 500+i%3, i%4, "Failed password for admin"))
	}
	pb := writeLines(t, filepath.Join(dir, "b.log"), false, b...)
	load(pa, pb)
	computed := logins()
	check("older lines read late")
	if after := logins(); after != computed {
		t.Errorf("the logins before the Refresh:\n%s\nafter it:\n%s", computed, after)
	}
	// a connection going on, another beginning, and a login after them
	writeLines(t, pa, true, line(11, 10, 101, 1, "Failed password for root"), line(11, 20, 700, 3, "Failed password for root"),
		line(11, 30, 701, 3, "Accepted password for pi"))
	load(pa, pb)
	computed = logins()
	check("lines that go on and begin connections")
	if after := logins(); after != computed {
		t.Errorf("the logins before the Refresh:\n%s\nafter it:\n%s", computed, after)
	}
	if _, err := ingest.Forget(ctx, db.DB, []string{pb}, time.Now()); err != nil {
		t.Fatal(err)
	}
	check("a forget")
}
