//go:build duckdb_arrow

package report

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

	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
	"github.com/knockmap/knockmap/sql"
)

// fingerprintFromRows is the fingerprint summed from every row of the
// period, as sql/report/fingerprint.sql did before the sums were kept per
// day (schema 30): what the kept sums must always come to.
const fingerprintFromRows = `
WITH per AS (
    SELECT ip_id,
           count(*) FILTER (WHERE kind_id = getvariable('knockmap_failed')) AS lines,
           sum(repeat) FILTER (WHERE kind_id = getvariable('knockmap_failed')) AS attempts,
           sum(hash(ts, kind_id, host_id, user_id, ip_id, conn, port, method_id, repeat, rhost_id, pubkey_id)) AS h
    FROM event_rows
    WHERE kind_id IN (getvariable('knockmap_failed'), getvariable('knockmap_accepted'))
      AND ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)
    GROUP BY ip_id
)
SELECT CAST(coalesce(sum(lines), 0) AS BIGINT), CAST(coalesce(sum(attempts), 0) AS BIGINT),
       CAST(coalesce(sum(h), 0) AS VARCHAR)
           || ' ' || (SELECT CAST(coalesce(sum(hash(g)), 0) AS VARCHAR)
                      FROM ip_geo AS g JOIN dict AS d ON d.value = g.ip
                      WHERE d.id IN (SELECT ip_id FROM per))
FROM per`

// TestFingerprintKeptEqualsRows: the fingerprint from the sums kept per
// day is the one summed from the rows, for periods open, cut mid-day and
// empty, after a first load, after a source grew and another came, after
// addresses were located, and after a source was forgotten (every sum
// made anew) and read again.
func TestFingerprintKeptEqualsRows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	lines := func(from, n int, host string) string {
		var b strings.Builder
		for i := from; i < from+n; i++ {
			day, hour := 1+i/7%20, i%24
			fmt.Fprintf(&b, "Mar %2d %02d:%02d:%02d %s sshd[%d]: Failed password for invalid user u%d from 198.51.100.%d port %d ssh2\n",
				day, hour, i%60, i%60, host, 1000+i, i%9, i%40, 30000+i)
			if i%5 == 0 {
				fmt.Fprintf(&b, "Mar %2d %02d:%02d:%02d %s sshd[%d]: message repeated 3 times: [ Failed password for root from 198.51.100.%d port %d ssh2]\n",
					day, hour, i%60, i%60+1, host, 1000+i, i%40, 30000+i)
			}
			if i%11 == 0 {
				fmt.Fprintf(&b, "Mar %2d %02d:%02d:%02d %s sshd[%d]: Accepted publickey for pi from 203.0.113.%d port %d ssh2: ED25519 SHA256:k%d\n",
					day, hour, i%60, i%60+2, host, 5000+i, i%7, 40000+i, i%3)
			}
		}
		return b.String()
	}
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	if err := os.WriteFile(a, []byte(lines(0, 60, "pi")), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	load := func(paths ...string) {
		t.Helper()
		srcs, errs := input.Expand(paths, nil, time.Now())
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if _, err := ingest.Ingest(ctx, "", srcs, ingest.Options{Into: db, Location: time.UTC, Year: 2026, Warn: &bytes.Buffer{}}); err != nil {
			t.Fatal(err)
		}
	}
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 30, 0, 0, time.UTC) }
	periods := []struct{ since, until time.Time }{
		{},
		{since: at(3, 7)},
		{until: at(9, 15)},
		{since: at(2, 1), until: at(2, 23)},
		{since: at(4, 5), until: at(17, 20)},
		{since: at(25, 0)},
	}
	check := func(when string) {
		t.Helper()
		ported := 0
		for _, pd := range periods {
			got, err := Fingerprint(ctx, db.DB, pd.since, pd.until)
			if err != nil {
				t.Fatal(err)
			}
			var lines, failed int64
			var hashed string
			err = withAttempts(ctx, db.DB, periodOf(pd.since, pd.until), func(at *attempts) error {
				return at.conn.QueryRowContext(ctx, fingerprintFromRows, at.p.args()...).Scan(&lines, &failed, &hashed)
			})
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("lines %d attempts %d hash %s", lines, failed, hashed); got != want {
				t.Errorf("%s, %v to %v: kept %q, from the rows %q", when, pd.since, pd.until, got, want)
			}
			kept, rows := portCounts(t, db.DB, pd.since, pd.until, true), portCounts(t, db.DB, pd.since, pd.until, false)
			if kept != rows {
				t.Errorf("%s, %v to %v: the ports from port_days\n%s\nfrom the rows\n%s", when, pd.since, pd.until, kept, rows)
			}
			if strings.Contains(rows, "rank 1 ") {
				ported++
			}
		}
		if ported < 3 {
			t.Errorf("%s: %d of %d periods have ports", when, ported, len(periods))
		}
	}
	load(a)
	check("after the first load")
	f, err := os.OpenFile(a, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(lines(60, 50, "pi"))
	f.Close()
	if err := os.WriteFile(b, []byte(lines(200, 40, "vps")), 0o644); err != nil {
		t.Fatal(err)
	}
	load(a, b)
	check("after a grew and b came")
	// located: an address of failed logins, one of successful logins only
	if _, err := db.ExecContext(ctx, `INSERT INTO ip_geo BY NAME
		SELECT '198.51.100.3' AS ip, 'public' AS scope, 'DE' AS country_code, now() AS enriched_at
		UNION ALL SELECT '203.0.113.2', 'public', 'FR', now()`); err != nil {
		t.Fatal(err)
	}
	check("after two addresses were located")
	var kept, sources int64
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM fingerprint_sources),
		(SELECT count(*) FROM sources)`).Scan(&kept, &sources); err != nil || kept != sources || sources != 2 {
		t.Fatalf("%d sources counted of %d (%v), want both", kept, sources, err)
	}
	if _, err := ingest.Forget(ctx, db.DB, []string{a}, time.Now()); err != nil {
		t.Fatal(err)
	}
	check("after a was forgotten")
	load(a)
	check("after a was read again")
}

// portCounts is the period's source ports as sql/report/port_ranks.sql
// ranks them, and their attempts per day and per week from port_rows of
// sql/report/rollups.sql, read from port_days (kept, which port_days_kept
// must then say it may) or from the rows.
func portCounts(t *testing.T, db *sql.DB, since, until time.Time, kept bool) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	err := withAttempts(ctx, db, periodOf(since, until), func(at *attempts) error {
		var may bool
		if err := at.conn.QueryRowContext(ctx, "SELECT getvariable('knockmap_ports_kept')").Scan(&may); err != nil {
			return err
		}
		if kept && !may {
			return fmt.Errorf("port_days_kept says the sums do not hold every attempt")
		}
		if _, err := at.conn.ExecContext(ctx, fmt.Sprintf("SET VARIABLE knockmap_ports_kept = %t", kept)); err != nil {
			return err
		}
		err := at.query(ctx, "port_ranks", func(r *sql.Rows) error {
			var port, total, rank int64
			if err := r.Scan(&port, &total, &rank); err != nil {
				return err
			}
			fmt.Fprintf(&b, "rank %d port %d %d\n", rank, port, total)
			return nil
		})
		if err != nil {
			return err
		}
		for _, a := range []*attempts{at, at.byWeek()} {
			stmt := withPrefix(sqlfiles.Statement("report/rollups")+"\n", `SELECT port, CAST(floor(epoch(ts) / CAST($5 AS BIGINT)) AS BIGINT) AS b,
				CAST(sum(attempts) AS BIGINT) FROM port_rows WHERE port IS NOT NULL GROUP BY ALL ORDER BY ALL`)
			err := queryText(ctx, a.conn, "port_rows", stmt, a.args(), func(r *sql.Rows) error {
				var port, bucket, n int64
				if err := r.Scan(&port, &bucket, &n); err != nil {
					return err
				}
				fmt.Fprintf(&b, "step %d bucket %d port %d %d\n", a.step, bucket, port, n)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
