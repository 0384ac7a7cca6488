//go:build duckdb_arrow

package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/load"
	"github.com/knockmap/knockmap/pipeline/store"
	sqlfiles "github.com/knockmap/knockmap/sql"
)

// rollupLines writes lines from..to of a log of failed logins, 37 minutes
// apart from 1 March 2024, over several days, hours, addresses, usernames,
// ports and repeated lines.
func rollupLines(host string, from, to int) string {
	var b strings.Builder
	base := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := from; i < to; i++ {
		ts := base.Add(time.Duration(i) * 37 * time.Minute).Format(time.Stamp)
		msg := fmt.Sprintf("Failed password for user%d from 192.0.2.%d port %d ssh2", i%5, i%13, 1000+i%9)
		if i%10 == 0 {
			msg = fmt.Sprintf("message repeated %d times: [ %s]", 2+i%3, msg)
		}
		if i%17 == 0 {
			msg = "Accepted password for pi from 192.0.2.200 port 22 ssh2"
		}
		fmt.Fprintf(&b, "%s %s sshd[%d]: %s\n", ts, host, 100+i, msg)
	}
	return b.String()
}

// rollupMismatch counts the keys whose sum in each rollup differs from the
// same sum computed from event_rows, and how many rows the rollup has.
func rollupMismatch(t *testing.T, db *store.DB) map[string][2]int64 {
	t.Helper()
	out := map[string][2]int64{}
	for _, r := range []struct{ table, key, expr string }{
		{"rollup_address_days", "ip_id", "ip_id"},
		{"rollup_username_days", "user_id", "user_id"},
		{"rollup_hours", "hour", "utc_hour(ts)"},
	} {
		truth := fmt.Sprintf(`SELECT utc_day(ts) AS day, %s AS %s, sum(repeat) AS attempts FROM event_rows
			WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL`, r.expr, r.key)
		q := fmt.Sprintf(`SELECT (SELECT count(*) FROM ((%[4]s EXCEPT ALL %[3]s) UNION ALL (%[3]s EXCEPT ALL %[4]s))),
			(SELECT count(*) FROM %[1]s)`, r.table, r.key, truth,
			fmt.Sprintf(`SELECT day, %s, sum(attempts) FROM %s GROUP BY ALL HAVING sum(attempts) <> 0`, r.key, r.table))
		var diff, n int64
		if err := db.QueryRow(q).Scan(&diff, &n); err != nil {
			t.Fatalf("%s: %v", r.table, err)
		}
		out[r.table] = [2]int64{diff, n}
	}
	// the pairs' rollup, over all days (sql/0027_address_user_rollup.sql)
	truth := `SELECT ip_id, user_id, sum(repeat) FROM event_rows
		WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed') GROUP BY ALL`
	kept := `SELECT ip_id, user_id, sum(attempts) FROM rollup_address_users GROUP BY ALL HAVING sum(attempts) <> 0`
	var diff, n int64
	if err := db.QueryRow(fmt.Sprintf(`SELECT (SELECT count(*) FROM ((%[1]s EXCEPT ALL %[2]s) UNION ALL (%[2]s EXCEPT ALL %[1]s))),
		(SELECT count(*) FROM rollup_address_users)`, kept, truth)).Scan(&diff, &n); err != nil {
		t.Fatalf("rollup_address_users: %v", err)
	}
	out["rollup_address_users"] = [2]int64{diff, n}
	return out
}

// TestRollupsMatchRows: after each step of several nights (a log that
// grows, the same log again, a copy whose overlap with the log is dropped
// row by row, a forget, the reading again, the repair after a crash) every
// rollup holds exactly the sums of the rows, one row a day and key;
// also when the ingest writes its sums every few rows (sumsFlushAt).
func TestRollupsMatchRows(t *testing.T) {
	t.Run("sums at the commit", rollupsMatchRows)
	t.Run("sums every 7", func(t *testing.T) {
		was := sumsFlushAt
		sumsFlushAt = 7
		defer func() { sumsFlushAt = was }()
		rollupsMatchRows(t)
	})
}

func rollupsMatchRows(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "auth.log")
	c := filepath.Join(dir, "copy.log")
	o := filepath.Join(dir, "other.log") // another host's log over the same days
	mtime := time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC)
	write := func(path, s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(path, mtime, mtime)
	}
	db := openDB(t, filepath.Join(dir, "k.duckdb"))
	steps := []struct {
		name string
		do   func()
	}{
		{"first night", func() {
			write(a, rollupLines("pi", 0, 120))
			write(o, rollupLines("pi2", 0, 60))
			ingestPaths(t, db, a, o)
		}},
		{"the log grew", func() { write(a, rollupLines("pi", 0, 250)); ingestPaths(t, db, a) }},
		{"nothing new", func() { ingestPaths(t, db, a) }},
		{"a copy with another first line", func() {
			write(c, "Mar  1 00:00:00 pi rsyslogd: started\n"+rollupLines("pi", 100, 300))
			ingestPaths(t, db, a, c)
		}},
		{"forget the log", func() {
			if _, err := Forget(context.Background(), db.DB, []string{a}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}},
		{"read it again", func() { ingestPaths(t, db, a, c) }},
		{"the repair after a crash", func() {
			// rows a crash left without their source's lines, and rollups
			// that may or may not hold them: the repair drops the rows and
			// makes the rollups anew
			if _, err := db.Exec(`UPDATE sources SET lines = lines - 7 WHERE id = (SELECT min(id) FROM sources);
				UPDATE ingest_runs SET new_rows = new_rows - 7 WHERE started = (SELECT max(started) FROM ingest_runs)`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`INSERT INTO rollup_hours VALUES (DATE '2024-03-02', 5, 1000)`); err != nil {
				t.Fatal(err)
			}
			var extra int64
			db.QueryRow(sqlfiles.Statement("ingest/unaccounted")).Scan(&extra)
			if extra == 0 {
				t.Fatal("no rows to repair")
			}
			write(a, rollupLines("pi", 0, 260))
			ingestPaths(t, db, a)
		}},
		{"forget all", func() {
			if _, err := Forget(context.Background(), db.DB, []string{a, c, o}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, s := range steps {
		s.do()
		var rows, attempts, summed int64
		db.QueryRow(`SELECT count(*), coalesce(sum(repeat), 0) FROM event_rows WHERE kind_id = 1`).Scan(&rows, &attempts)
		db.QueryRow(`SELECT coalesce(sum(attempts), 0) FROM rollup_hours`).Scan(&summed)
		if summed != attempts {
			t.Errorf("%s: the hours sum to %d attempts, the rows to %d", s.name, summed, attempts)
		}
		for _, r := range load.Rollups {
			var dup int64
			db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM (SELECT day, %s FROM %s GROUP BY ALL HAVING count(*) > 1 OR sum(attempts) = 0)`, r.Key, r.Table)).Scan(&dup)
			if dup != 0 {
				t.Errorf("%s: %s has %d days and keys with two rows or a sum of 0", s.name, r.Table, dup)
			}
		}
		var dup int64
		db.QueryRow(`SELECT count(*) FROM (SELECT ip_id, user_id FROM rollup_address_users GROUP BY ALL HAVING count(*) > 1 OR sum(attempts) = 0)`).Scan(&dup)
		if dup != 0 {
			t.Errorf("%s: rollup_address_users has %d pairs with two rows or a sum of 0", s.name, dup)
		}
		for table, m := range rollupMismatch(t, db) {
			if m[0] != 0 {
				t.Errorf("%s: %s differs from the rows in %d rows", s.name, table, m[0])
			}
			if (m[1] == 0) != (rows == 0) {
				t.Errorf("%s: %s has %d rows for %d failed lines", s.name, table, m[1], rows)
			}
		}
	}
}
