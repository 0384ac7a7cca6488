//go:build duckdb_arrow

package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/load"
)

// invalidBytes are bytes that cannot stand alone in UTF-8, each of which
// made DuckDB refuse the commit (and so every later ingest) before strings
// were stored escaped.
var invalidBytes = []byte{0x80, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF5, 0xFE, 0xFF}

// TestInvalidUTF8Loads: a username, a host name or a journald MESSAGE
// given as a byte array with a byte that is not UTF-8 is loaded, stored
// escaped (load.Unescape gives the bytes back), counted in the summary, and
// the next night loads as always.
func TestInvalidUTF8Loads(t *testing.T) {
	dir := t.TempDir()
	var classic bytes.Buffer
	var journal bytes.Buffer
	type want struct {
		user, host []byte
	}
	var wants []want
	for i, c := range invalidBytes {
		user := fmt.Appendf([]byte{'j', 'o', 's', c}, "%d", i)
		host := fmt.Appendf([]byte{'p', 'i', c}, "%d", i)
		fmt.Fprintf(&classic, "Jun 11 12:00:%02d raspberrypi sshd[4242]: Invalid user %s from 203.0.113.9 port 5555\n", i, user)
		fmt.Fprintf(&classic, "Jun 11 12:01:%02d %s sshd[4243]: Failed password for root from 203.0.113.10 port 5556 ssh2\n", i, host)
		wants = append(wants, want{user: user}, want{host: host})
		// journald writes a MESSAGE that is not UTF-8 as an array of bytes
		msg := []byte("Failed password for invalid user ")
		msg = append(msg, user...)
		msg = append(msg, " from 203.0.113.11 port 5557 ssh2"...)
		arr, _ := json.Marshal(toInts(msg))
		fmt.Fprintf(&journal, `{"__REALTIME_TIMESTAMP":"%d","_HOSTNAME":"jhost","SYSLOG_IDENTIFIER":"sshd","_PID":"77","MESSAGE":%s}`+"\n",
			time.Date(2024, 6, 11, 13, 0, i, 0, time.UTC).UnixMicro(), arr)
	}
	// a username sshd would have logged escaped, and a backslash
	fmt.Fprintf(&classic, "Jun 11 12:02:00 raspberrypi sshd[4244]: Invalid user a\\b\xff from 203.0.113.12 port 5558\n")
	wants = append(wants, want{user: []byte("a\\b\xff")})
	auth := filepath.Join(dir, "auth.log")
	jpath := filepath.Join(dir, "journal.json")
	mtime := time.Date(2024, 6, 12, 0, 0, 0, 0, time.UTC)
	for p, b := range map[string][]byte{auth: classic.Bytes(), jpath: journal.Bytes()} {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, mtime, mtime)
	}
	db := openDB(t, filepath.Join(dir, "k.duckdb"))
	st := ingestPaths(t, db, auth, jpath)
	lines := int64(2*len(invalidBytes) + 1 + len(invalidBytes))
	if st.NewRows != lines {
		t.Fatalf("%d rows loaded, want %d", st.NewRows, lines)
	}
	if st.Escaped != lines {
		t.Errorf("summary counts %d lines with text that was not UTF-8, want %d", st.Escaped, lines)
	}
	stored := map[string]bool{}
	rows, err := db.Query(`SELECT username FROM events WHERE username IS NOT NULL UNION ALL SELECT host FROM events`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(s) {
			t.Errorf("stored %q is not valid UTF-8", s)
		}
		stored[string(load.Unescape(s))] = true
	}
	rows.Close()
	for _, w := range wants {
		for _, b := range [][]byte{w.user, w.host} {
			if b != nil && !stored[string(b)] {
				t.Errorf("%q is not stored (reversibly)", b)
			}
		}
	}
	// the next night: more lines, of which one has the same raw username
	next := "Jun 11 13:00:00 raspberrypi sshd[5000]: Failed password for root from 198.51.100.1 port 1 ssh2\n" +
		"Jun 11 13:00:01 raspberrypi sshd[5001]: Invalid user jos\x800 from 203.0.113.9 port 5555\n"
	f, _ := os.OpenFile(auth, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(next)
	f.Close()
	os.Chtimes(auth, mtime, mtime)
	st = ingestPaths(t, db, auth, jpath)
	if st.NewRows != 2 {
		t.Errorf("the next night loaded %d rows, want 2", st.NewRows)
	}
	var dup int64
	db.QueryRow(`SELECT count(*) - count(DISTINCT value) FROM dict`).Scan(&dup)
	if dup != 0 {
		t.Errorf("dict holds %d strings twice", dup)
	}
}

func toInts(b []byte) []int {
	out := make([]int, len(b))
	for i, c := range b {
		out[i] = int(c)
	}
	return out
}

// TestImplausibleRepeat: a forged "message repeated 999999999 times" is a
// bad line named by file and line, not a billion attempts; a plausible one
// counts as many attempts as it says, and counting them makes no row per
// repetition.
func TestImplausibleRepeat(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	body := "Jun 11 12:00:00 pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n" +
		"Jun 11 12:00:05 pi sshd[1]: message repeated 999999999 times: [ Failed password for root from 192.0.2.1 port 1 ssh2]\n" +
		"Jun 11 12:00:06 pi sshd[2]: message repeated 2000 times: [ PAM 1000 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.2  user=root]\n" +
		"Jun 11 12:00:07 pi sshd[3]: Failed password for admin from 192.0.2.3 port 3 ssh2\n" +
		"Jun 11 12:00:09 pi sshd[3]: message repeated 5 times: [ Failed password for admin from 192.0.2.3 port 3 ssh2]\n"
	os.WriteFile(log, []byte(body), 0o644)
	mtime := time.Date(2024, 6, 12, 0, 0, 0, 0, time.UTC)
	os.Chtimes(log, mtime, mtime)
	db := openDB(t, filepath.Join(dir, "k.duckdb"))
	srcs, _ := input.Expand([]string{log}, nil, time.Now())
	var warn bytes.Buffer
	st, err := loadExisting(context.Background(), db.DB, srcs, Options{Location: time.UTC, Warn: &warn})
	if err != nil {
		t.Fatal(err)
	}
	if st.Bad != 2 {
		t.Errorf("%d bad lines, want 2", st.Bad)
	}
	for _, w := range []string{log + ":2: a line repeated 999999999 times", log + ":3: a line repeated 2000000 times"} {
		if !strings.Contains(warn.String(), w) {
			t.Errorf("warnings lack %q:\n%s", w, warn.String())
		}
	}
	var n, lines, weighted int64
	db.QueryRow(`SELECT count(*) FROM failed_logins`).Scan(&n)
	db.QueryRow(`SELECT count(*), sum(attempts) FROM failed_login_lines`).Scan(&lines, &weighted)
	if n != 7 || lines != 3 || weighted != 7 {
		t.Errorf("failed_logins %d rows, failed_login_lines %d lines of %d attempts; want 7, 3, 7", n, lines, weighted)
	}
}

// TestNoFutureStamps: a year-less log whose last line is dated after the
// file's mtime (OpenSSH_2k.log: last line "Dec 10", copied on 1 December)
// is from the year before; and a stamp that would still be more than a day
// ahead of the clock (here, a wrong --year) is put in the year before, with
// a warning and a count.
func TestNoFutureStamps(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	os.WriteFile(log, []byte("Dec  1 08:00:00 pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"+
		"Dec 10 06:55:46 pi sshd[2]: Failed password for root from 192.0.2.2 port 2 ssh2\n"), 0o644)
	mtime := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	os.Chtimes(log, mtime, mtime)
	now := func() time.Time { return mtime.Add(time.Hour) }
	for _, c := range []struct {
		year    int
		want    string
		redated int64
	}{
		{0, "2025-12-01,2025-12-10", 0},
		{2027, "2026-12-01,2026-12-10", 2}, // 2027 is ahead of the clock: each line goes one year back
	} {
		db := openDB(t, filepath.Join(t.TempDir(), "k.duckdb"))
		srcs, _ := input.Expand([]string{log}, nil, time.Now())
		var warn bytes.Buffer
		st, err := loadExisting(context.Background(), db.DB, srcs, Options{Location: time.UTC, Year: c.year, Warn: &warn, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		db.QueryRow(`SELECT string_agg(strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%d'), ',' ORDER BY ts) FROM failed_logins`).Scan(&got)
		if got != c.want || st.Redated != c.redated {
			t.Errorf("--year %d: days %s, %d redated; want %s, %d", c.year, got, st.Redated, c.want, c.redated)
		}
		if c.redated > 0 && !strings.Contains(warn.String(), "ahead of the clock") {
			t.Errorf("--year %d: no warning:\n%s", c.year, warn.String())
		}
	}
}

// TestBadLinesAsValues: a bad line comes back as a LineError with its
// file and line, not only as text on the warn writer.
func TestBadLinesAsValues(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	os.WriteFile(log, []byte("Jun 11 12:00:00 pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"+
		"Jun 99 12:00:00 pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"), 0o644)
	mtime := time.Date(2024, 6, 12, 0, 0, 0, 0, time.UTC)
	os.Chtimes(log, mtime, mtime)
	db := openDB(t, filepath.Join(dir, "k.duckdb"))
	st := ingestPaths(t, db, log)
	if len(st.BadLines) != 1 || st.BadLines[0].File != log || st.BadLines[0].Line != 2 || st.BadLines[0].Err == nil {
		t.Fatalf("bad lines %+v, want one at %s:2", st.BadLines, log)
	}
	if !strings.HasPrefix(st.BadLines[0].Error(), log+":2: ") {
		t.Errorf("Error() = %q", st.BadLines[0].Error())
	}
}
