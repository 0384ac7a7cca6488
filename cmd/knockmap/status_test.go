//go:build duckdb_arrow

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStatus: status over the hand-made log names its period, its
// attempts and addresses, the addresses new on the day given as today,
// the last run, the source, and the logins that stand out in the last 7
// days of the log with their reasons; a username that is an escape
// sequence shows as text.
func TestStatus(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "auth.log")
	lines := append(append([]string{}, reasonsLog...),
		"2026-01-10T13:00:00+00:00 pi sshd[260]: Failed password for \x1b[2Jx from 192.0.2.99 port 4000 ssh2",
		"2026-01-10T13:05:00+00:00 pi sshd[261]: Accepted password for \x1b[2Jx from 192.0.2.99 port 4001 ssh2")
	os.WriteFile(logPath, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	db := filepath.Join(dir, "k.duckdb")
	execute(t, "ingest", "--db", db, "--no-enrich", logPath)
	var out bytes.Buffer
	if err := runStatus(context.Background(), &out, statusOptions{db: db, now: time.Date(2026, 1, 10, 20, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"period    2026-01-01 10:00Z to 2026-01-10 13:05Z\n",
		"attempts  21 failed, from 10 addresses, 1 of them new today (UTC)\n",
		"files, " + "29 lines, 29 new rows, 0 skipped, 0 bad\n",
		"/auth.log  read ",
		", 29 lines, 2026-01-01 10:00Z to 2026-01-10 13:05Z\n",
		"logins    5 stand out in the last 7 days of the log (knockmap logins)\n",
		`2026-01-10 13:05:00Z pi: \x1b[2Jx logged in with password from 192.0.2.99 (connection `,
		"    failed_before: 1 failed attempts from this address since 2026-01-10 13:00\n",
		"    new_hour: this user never logged in at 23 h UTC before\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
	if strings.ContainsRune(got, 0x1b) {
		t.Errorf("status wrote an escape character:\n%q", got)
	}
	if n := strings.Count(got, "\n"); n > 40 {
		t.Errorf("status takes %d lines, more than a screen", n)
	}
}
