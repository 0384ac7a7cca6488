//go:build duckdb_arrow

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/config"
	"github.com/knockmap/knockmap/pipeline/nightly"
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
		"logins    6 stand out in the last 7 days of the log, 2 of them after failed attempts (knockmap logins)\n",
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

// TestNewAndActiveAddresses: two nights through the nightly job, each
// with its own clock. The second night's summary, and status after it,
// name as new only the address whose first attempt came after the first
// night's run finished, and as active the addresses with attempts in the
// 24 hours before the clock: from the clock, not the newest row, so that
// a day later none is active.
func TestNewAndActiveAddresses(t *testing.T) {
	dir := t.TempDir()
	auth := filepath.Join(dir, "auth.log")
	night1 := []string{
		"2026-01-04T08:00:00+00:00 pi sshd[100]: Failed password for root from 192.0.2.10 port 4000 ssh2",
		"2026-01-05T09:00:00+00:00 pi sshd[101]: Failed password for root from 192.0.2.11 port 4000 ssh2",
	}
	night2 := []string{
		"2026-01-05T20:00:00+00:00 pi sshd[102]: Failed password for root from 192.0.2.10 port 4000 ssh2",
		"2026-01-06T10:00:00+00:00 pi sshd[103]: Failed password for admin from 192.0.2.12 port 4000 ssh2",
		"2026-01-06T10:00:05+00:00 pi sshd[103]: message repeated 2 times: [ Failed password for admin from 192.0.2.12 port 4000 ssh2]",
		"2026-01-06T11:00:00+00:00 pi sshd[104]: Failed password for root from 192.0.2.11 port 4000 ssh2",
	}
	t1 := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	t2 := time.Date(2026, 1, 6, 21, 0, 0, 0, time.UTC)
	cfg := config.Defaults()
	cfg.DB, cfg.NoEnrich = filepath.Join(dir, "k.duckdb"), true
	cfg.Sources = []config.Source{{Path: auth}}
	var sum *nightly.Summary
	for _, night := range []struct {
		lines []string
		now   time.Time
	}{{night1, t1}, {night2, t2}} {
		f, err := os.OpenFile(auth, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(strings.Join(night.lines, "\n") + "\n")
		f.Close()
		now := night.now
		if sum, err = nightly.Run(context.Background(), cfg, nightly.Options{Location: time.UTC, Now: func() time.Time { return now }}); err != nil {
			t.Fatal(err)
		}
	}
	a := sum.Addresses
	if a == nil || !a.Since.Equal(t1) || a.New != 1 || len(a.NewTop) != 1 || a.NewTop[0].IP != "192.0.2.12" || a.NewTop[0].Attempts != 3 {
		t.Errorf("second night's new addresses: %+v, want 192.0.2.12 (3 attempts) since %s", a, t1)
	}
	// in the 24 h before t2: .12 (3) and .11 (1); .10's last attempt is 25 h before
	if a == nil || a.Active != 2 || len(a.ActiveTop) != 2 || a.ActiveTop[0].IP != "192.0.2.12" || a.ActiveTop[1].IP != "192.0.2.11" {
		t.Errorf("second night's active addresses: %+v, want 192.0.2.12 and 192.0.2.11", a)
	}
	b, err := json.Marshal(sum)
	if err != nil || !bytes.Contains(b, []byte(`"addresses":{"since":"2026-01-05T12:00:00Z","new":1,`)) {
		t.Errorf("run --json's summary: %s (%v)", b, err)
	}
	for _, tc := range []struct {
		now  time.Time
		want []string
	}{
		{t2, []string{
			"new       1 addresses first seen since the run before the last (2026-01-05 12:00Z): 192.0.2.12 (3)\n",
			"active    2 addresses with failed attempts in the 24 h before 2026-01-06 21:00Z: 192.0.2.12 (3), 192.0.2.11 (1)\n",
		}},
		{t2.Add(48 * time.Hour), []string{
			"active    0 addresses with failed attempts in the 24 h before 2026-01-08 21:00Z\n",
		}},
	} {
		var out bytes.Buffer
		if err := runStatus(context.Background(), &out, statusOptions{db: cfg.DB, now: tc.now}); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("status at %s lacks %q:\n%s", tc.now.Format(time.RFC3339), w, out.String())
			}
		}
	}
}

// TestStatusNamesRepairs: status says when Open repaired a metadata block
// that a kill left half-written, and names the newest record; a database
// never repaired shows no such line.
func TestStatusNamesRepairs(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "auth.log")
	os.WriteFile(logPath, []byte("2026-01-05T10:00:00+00:00 pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"), 0o644)
	db := filepath.Join(dir, "k[1].duckdb") // a name with a glob character
	execute(t, "ingest", "--db", db, "--no-enrich", logPath)
	status := func() string {
		var out bytes.Buffer
		if err := runStatus(context.Background(), &out, statusOptions{db: db, now: time.Now()}); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	if got := status(); strings.Contains(got, "repaired") {
		t.Errorf("a database never repaired:\n%s", got)
	}
	for _, name := range []string{".repair-20261201T030000Z-536576.txt", ".repair-20261203T030000Z-798720.txt"} {
		os.WriteFile(db+name, []byte("a record\n"), 0o640)
	}
	want := "repaired  2 metadata block(s) that a kill had left half-written; the last record: " + db + ".repair-20261203T030000Z-798720.txt\n"
	if got := status(); !strings.Contains(got, want) {
		t.Errorf("status lacks %q:\n%s", want, got)
	}
}
