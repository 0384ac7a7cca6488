//go:build duckdb_arrow

package export

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/load"
	"github.com/knockmap/knockmap/pipeline/reading"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/store"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// roundTripSeeds are hostile logs: text that is not UTF-8 in a username,
// a host and a journald byte array, terminal escapes, spreadsheet
// formulas, a forged repeat count, and lines of no known family.
var roundTripSeeds = []string{
	"Jun 11 12:00:00 raspberrypi sshd[4242]: Failed password for invalid user jos\xe9 from 203.0.113.9 port 5555 ssh2\n",
	"Jun 11 12:00:00 pi\xff\xfe sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n" +
		"Jun 11 12:00:05 pi\xff\xfe sshd[1]: message repeated 3 times: [ Failed password for root from 192.0.2.1 port 1 ssh2]\n",
	"Jun 11 12:00:00 pi sshd[2]: message repeated 999999999 times: [ Failed password for root from 192.0.2.1 port 1 ssh2]\n" +
		"Jun 11 12:00:01 pi sshd[3]: Failed password for invalid user =cmd|' /C calc'!A0 from 192.0.2.3 port 3 ssh2\n",
	"Jun 11 12:00:00 pi sshd[4]: Failed password for invalid user \x1b]0;pwned\x07\u202e from 2001:db8::1 port 4 ssh2\n" +
		"Jun 11 12:00:01 pi CRON[5]: (root) CMD (true)\nnot a log line at all\n",
	`{"__REALTIME_TIMESTAMP":"1781179200000000","_HOSTNAME":"j\u00e9","SYSLOG_IDENTIFIER":"sshd","_PID":"7","MESSAGE":[70,97,105,108,101,100,32,112,97,115,115,119,111,114,100,32,102,111,114,32,106,111,115,233,32,102,114,111,109,32,49,57,50,46,48,46,50,46,57,32,112,111,114,116,32,57,32,115,115,104,50]}` + "\n",
	"Jun 11 12:00:00 pi sshd[6]: Failed publickey for a\\\\b\\351 from 192.0.2.6 port 6 ssh2\nJun 11 12:00:01 pi sshd[6]: Failed none for \"\" from 192.0.2.6 port 6 ssh2\n",
}

// FuzzRoundTrip feeds arbitrary bytes as a log through parse, load, query
// and export (Parquet and JSON): every failed login the parser reads is in
// the database once, every stored string is valid UTF-8 and gives the
// logged bytes back (load.Unescape), and both exports hold exactly the
// database's rows.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range roundTripSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		dir := t.TempDir()
		log := filepath.Join(dir, "auth.log")
		if err := os.WriteFile(log, data, 0o644); err != nil {
			t.Fatal(err)
		}
		mtime := time.Date(2026, 6, 12, 0, 0, 0, 0, time.UTC)
		os.Chtimes(log, mtime, mtime)
		now := func() time.Time { return mtime.Add(time.Hour) }
		opt := reading.Options{Location: time.UTC, Warn: &bytes.Buffer{}, Now: now}

		// what the parser reads: the rows the database must hold
		srcs, errs := input.Expand([]string{log}, nil, time.Now())
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var want []string
		_, first, ok, err := srcs[0].Fingerprint()
		if err != nil || !ok {
			return // nothing whole to read
		}
		_, err = reading.ReadSource(context.Background(), srcs[0], first, reading.Cursor{}, opt, reading.NewStats(),
			func(rec *syslog.Record, ev *sshd.Event, line int64) error {
				if ev.Kind == sshd.KindFailed {
					want = append(want, rowKey(rec.TS, str(load.Escape(rec.Host), true), str(load.Escape(ev.User), ev.HasUser),
						str(load.Escape(ev.Addr), ev.Addr != nil), int64(ev.Port), str(load.Escape(ev.Method), ev.Method != nil), int64(ev.Repeat)))
				}
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}

		db, err := store.Open(context.Background(), filepath.Join(dir, "k.duckdb"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := ingest.Ingest(context.Background(), "", srcs, ingest.Options{Into: db, Location: opt.Location, Warn: opt.Warn, Now: opt.Now}); err != nil {
			t.Fatalf("ingest: %v", err)
		}
		got := queryKeys(t, db.DB, `SELECT ts, host, username, ip, port, method, attempts FROM failed_login_lines`)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("the database holds\n%s\nthe parser read\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		rows, err := db.Query(`SELECT value FROM dict`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			if !utf8.ValidString(s) {
				t.Errorf("stored %q is not valid UTF-8", s)
			}
		}
		rows.Close()
		t.Logf("%d lines of failed logins", len(got))

		pq := filepath.Join(dir, "parquet")
		if _, err := Run(context.Background(), db.DB, Options{Out: pq}); err != nil {
			t.Fatalf("Parquet export: %v", err)
		}
		var back []string
		if len(got) > 0 { // else there is no file, which read_parquet refuses
			back = queryKeys(t, db.DB, fmt.Sprintf(`SELECT ts, host, username, ip, port, method, attempts FROM read_parquet('%s/**/*.parquet', hive_partitioning = true, union_by_name = true)`, pq))
		}
		if !slices.Equal(back, got) {
			t.Fatalf("the Parquet export holds\n%s\nthe database\n%s", strings.Join(back, "\n"), strings.Join(got, "\n"))
		}

		js := filepath.Join(dir, "json")
		if _, err := Run(context.Background(), db.DB, Options{Out: js, Format: "json"}); err != nil {
			t.Fatalf("JSON export: %v", err)
		}
		var fromJSON []string
		filepath.WalkDir(js, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(bytes.NewReader(b))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var r struct {
					Host, Username, IP, Method *string
					Port                       *int64
					Attempts                   int64
				}
				if !utf8.Valid(sc.Bytes()) || json.Unmarshal(sc.Bytes(), &r) != nil {
					t.Fatalf("%s: line %q is not a JSON object of valid UTF-8", p, sc.Bytes())
				}
				fromJSON = append(fromJSON, rowKey(0, ptr(r.Host), ptr(r.Username), ptr(r.IP), deref(r.Port), ptr(r.Method), r.Attempts))
			}
			return nil
		})
		slices.Sort(fromJSON)
		noTS := queryKeys(t, db.DB, `SELECT NULL, host, username, ip, port, method, attempts FROM failed_login_lines`)
		if !slices.Equal(fromJSON, noTS) {
			t.Fatalf("the JSON export holds\n%s\nthe database\n%s", strings.Join(fromJSON, "\n"), strings.Join(noTS, "\n"))
		}
	})
}

func str(b []byte, ok bool) string {
	if !ok {
		return "NULL"
	}
	return fmt.Sprintf("%q", b)
}

func ptr(s *string) string {
	if s == nil {
		return "NULL"
	}
	return fmt.Sprintf("%q", *s)
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func rowKey(ts int64, host, user, ip string, port int64, method string, attempts int64) string {
	return fmt.Sprintf("%d %s %s %s %d %s %d", ts, host, user, ip, port, method, attempts)
}

func queryKeys(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ts sql.NullTime
		var host, user, ip, method sql.NullString
		var port sql.NullInt64
		var attempts int64
		if err := rows.Scan(&ts, &host, &user, &ip, &port, &method, &attempts); err != nil {
			t.Fatal(err)
		}
		var us int64
		if ts.Valid {
			us = ts.Time.UnixMicro()
		}
		s := func(v sql.NullString) string {
			if !v.Valid {
				return "NULL"
			}
			return fmt.Sprintf("%q", v.String)
		}
		out = append(out, rowKey(us, s(host), s(user), s(ip), port.Int64, s(method), attempts))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
