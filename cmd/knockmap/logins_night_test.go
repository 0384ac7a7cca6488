//go:build duckdb_arrow

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/pipeline/config"
	"github.com/knockmap/knockmap/pipeline/logins"
	"github.com/knockmap/knockmap/pipeline/nightly"
	"github.com/knockmap/knockmap/pipeline/store"
)

// TestRunAlertsNightly: gen-authlog's connection profile split by time
// into three nights, appended to one auth.log night after night and read
// by `knockmap run --config` each night: a night prints every login of
// that night that alerts (the planted compromises of that night with
// failed_before among them), no login of another night, and a night with
// none prints nothing at all; --json carries the same list; every run
// exits 0.
func TestRunAlertsNightly(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.log")
	planted := filepath.Join(dir, "logins.csv")
	sharedtest.Generate(t, "--lines", "50000", "--format", "rfc3339", "--connections", filepath.Join(dir, "c.csv"), "--logins", planted, "--out", full)
	compromises := map[string]bool{}
	for _, p := range readPlanted(t, planted) {
		if p.failedBefore > 0 {
			compromises[loginKey(p.ts, p.user, p.ip)] = true
		}
	}

	// What stands out, from the whole log at once: a login's reasons look
	// back only, so each night must print the same.
	fdb := filepath.Join(dir, "full.duckdb")
	execute(t, "ingest", "--db", fdb, "--no-enrich", full)
	sdb, err := store.Open(context.Background(), fdb, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	standOut, err := logins.Query(context.Background(), sdb.DB, time.Time{}, false)
	sdb.Close()
	var out []logins.Login // the logins that alert
	for _, l := range standOut {
		if l.Alerts {
			out = append(out, l)
		}
	}
	if err != nil || len(out) < 3 {
		t.Fatalf("%d logins alert (%v): too few to split into nights", len(out), err)
	}
	// the quiet night: the longest time between two that stand out, after
	// the first compromise and before the last, so that the nights around
	// it have compromises of their own
	first, last := -1, -1
	for i, l := range out {
		if compromises[loginKey(l.TS, l.Username, l.IP)] {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 || first == last {
		t.Fatalf("gen-authlog planted %d compromises: too few to split into nights", len(compromises))
	}
	gap := first
	for i := first + 1; i < last; i++ {
		if out[i+1].TS.Sub(out[i].TS) > out[gap+1].TS.Sub(out[gap].TS) {
			gap = i
		}
	}
	quietFrom := out[gap].TS.Add(time.Second)
	quietTo := out[gap+1].TS.Add(-time.Second)
	nights := []struct{ from, to time.Time }{
		{time.Time{}, quietFrom},
		{quietFrom, quietTo},
		{quietTo, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	lines := splitByTime(t, full, quietFrom, quietTo)
	if bytes.Count(lines[1], []byte("\n")) < 100 {
		t.Fatalf("the quiet night has %d lines: it says nothing", bytes.Count(lines[1], []byte("\n")))
	}

	auth := filepath.Join(dir, "logs", "auth.log")
	os.MkdirAll(filepath.Dir(auth), 0o755)
	db := filepath.Join(dir, "k.duckdb")
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("db = %q\nno_enrich = true\n[[source]]\npath = %q\n", db, auth)), 0o644)
	seenCompromises := 0
	for n, night := range nights {
		f, err := os.OpenFile(auth, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(lines[n])
		f.Close()
		var want []string
		for _, l := range out {
			if !l.TS.Before(night.from) && l.TS.Before(night.to) {
				want = append(want, loginKey(l.TS, l.Username, l.IP))
			}
		}
		args := []string{"run", "--config", cfg}
		if n == 2 {
			args = append(args, "--json")
		}
		stdout := child(t, dir, args...)
		var got []string
		if n == 2 {
			var sum struct {
				Logins []struct {
					TS           time.Time `json:"ts"`
					Username     string    `json:"username"`
					IP           string    `json:"ip"`
					FailedBefore int64     `json:"failed_before"`
				} `json:"logins"`
			}
			if err := json.Unmarshal(stdout, &sum); err != nil {
				t.Fatalf("night %d: run --json: %v\n%s", n+1, err, stdout)
			}
			for _, l := range sum.Logins {
				got = append(got, loginKey(l.TS, l.Username, l.IP))
				if compromises[loginKey(l.TS, l.Username, l.IP)] && l.FailedBefore == 0 {
					t.Errorf("night %d: compromise %s without failed_before in --json", n+1, l.IP)
				}
			}
		} else {
			if len(want) == 0 && len(stdout) != 0 {
				t.Errorf("night %d, with no login that stands out, printed:\n%s", n+1, stdout)
			}
			got = alertedLogins(t, stdout)
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("night %d printed the logins\n%s\nwant\n%s\n%s", n+1, strings.Join(got, "\n"), strings.Join(want, "\n"), stdout)
		}
		nightCompromises := 0
		for _, k := range want {
			if compromises[k] {
				nightCompromises++
				seenCompromises++
				if n != 2 && !bytes.Contains(stdout, []byte("failed_before: ")) {
					t.Errorf("night %d: compromise %s printed without failed_before", n+1, k)
				}
			}
		}
		t.Logf("night %d: %d logins stand out, %d of them planted compromises", n+1, len(want), nightCompromises)
		if n != 1 && nightCompromises == 0 {
			t.Errorf("night %d has no planted compromise", n+1)
		}
		if n == 1 && len(want) != 0 {
			t.Fatalf("the quiet night has %d logins that stand out", len(want))
		}
	}
	if seenCompromises != len(compromises) || seenCompromises == 0 {
		t.Errorf("the nights printed %d of the %d planted compromises", seenCompromises, len(compromises))
	}
}

// splitByTime cuts an RFC 3339 log into the lines before a, from a to b,
// and from b on.
func splitByTime(t *testing.T, path string, a, b time.Time) [3][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var parts [3][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		stamp, _, _ := strings.Cut(line, " ")
		ts, err := time.Parse(time.RFC3339Nano, stamp)
		if err != nil {
			t.Fatalf("a line without an RFC 3339 stamp: %q", line)
		}
		i := 0
		if !ts.Before(a) {
			i = 1
		}
		if !ts.Before(b) {
			i = 2
		}
		parts[i] = append(append(parts[i], line...), '\n')
	}
	return parts
}

// alertedLogins reads back the logins a run's block names.
func alertedLogins(t *testing.T, out []byte) []string {
	t.Helper()
	var keys []string
	for _, line := range strings.Split(string(out), "\n") {
		// 2023-12-22 04:13:30Z raspberrypi: root logged in with password from 216.241.106.223 (connection 1668)
		head, rest, ok := strings.Cut(line, " logged in with ")
		if !ok {
			continue
		}
		f := strings.Fields(head)
		_, from, _ := strings.Cut(rest, " from ")
		ip, _, _ := strings.Cut(from, " ")
		ts, err := time.Parse("2006-01-02 15:04:05Z", f[0]+" "+f[1])
		if err != nil || len(f) < 4 {
			t.Fatalf("a login line that does not read back: %q", line)
		}
		keys = append(keys, loginKey(ts, f[3], ip))
	}
	return keys
}

// TestOwnerLoginsNeverAlert: gen-authlog's 200,000-line connection
// profile, cut at UTC midnights into eight nights, appended to auth.log
// one at a time and read by the nightly job each night: no login from the owner's three addresses
// is ever in the alert, though many of them stand out (a new hour, a new
// address, a new key: the generator writes a fresh fingerprint each
// time), and every planted compromise is, once, on its own night.
func TestOwnerLoginsNeverAlert(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.log")
	planted := filepath.Join(dir, "logins.csv")
	sharedtest.Generate(t, "--lines", "200000", "--format", "rfc3339", "--connections", filepath.Join(dir, "c.csv"), "--logins", planted, "--out", full)
	compromises := map[string]bool{}
	owner := 0
	for _, p := range readPlanted(t, planted) {
		switch {
		case ownerAddresses[p.ip]:
			owner++
		case p.failedBefore > 0:
			compromises[loginKey(p.ts, p.user, p.ip)] = true
		}
	}
	if owner < 50 || len(compromises) == 0 {
		t.Fatalf("gen-authlog planted %d owner logins and %d compromises: too few to say anything", owner, len(compromises))
	}
	nights := splitByDay(t, full, 8)
	auth := filepath.Join(dir, "auth.log")
	cfg := config.Defaults()
	cfg.DB, cfg.NoEnrich = filepath.Join(dir, "k.duckdb"), true
	cfg.Sources = []config.Source{{Path: auth}}
	alerted := map[string]int{}
	for n, lines := range nights {
		f, err := os.OpenFile(auth, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(lines)
		f.Close()
		sum, err := nightly.Run(context.Background(), cfg, nightly.Options{Location: time.UTC, Warn: io.Discard})
		if err != nil {
			t.Fatalf("night %d: %v", n+1, err)
		}
		for _, l := range sum.Logins {
			alerted[loginKey(l.TS, l.Username, l.IP)]++
			if ownerAddresses[l.IP] {
				t.Errorf("night %d mails the owner's own login: %s %s from %s, %q", n+1, l.TS.UTC().Format(time.RFC3339), l.Username, l.IP, l.Reasons)
			}
			if !l.Alerts {
				t.Errorf("night %d: %s alerted without alerts set", n+1, l.IP)
			}
		}
	}
	for k := range compromises {
		if alerted[k] != 1 {
			t.Errorf("compromise %s alerted %d times, want once", k, alerted[k])
		}
	}
	db, err := store.Open(context.Background(), cfg.DB, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ownerStandOut, ownerNewKey int
	if err := db.QueryRow(`SELECT count(*) FILTER (WHERE stands_out), count(*) FILTER (WHERE new_key) FROM logins WHERE ip IN ('198.51.100.7', '203.0.113.40', '2001:db8:77::12')`).Scan(&ownerStandOut, &ownerNewKey); err != nil {
		t.Fatal(err)
	}
	if ownerStandOut == 0 || ownerNewKey == 0 {
		t.Errorf("%d owner logins stand out, %d by new_key: the test shows nothing about them", ownerStandOut, ownerNewKey)
	}
	t.Logf("%d nights; %d owner logins, %d stand out (%d by new_key), none alerts; %d compromises alert", len(nights), owner, ownerStandOut, ownerNewKey, len(compromises))
}

// splitByDay cuts an RFC 3339 log at UTC midnights into n parts of about
// as many days each, oldest first. (A night a day, the 245 runs take
// minutes; a login's reasons look back only, so the cut does not change
// them: TestRunAlertsNightly.)
func splitByDay(t *testing.T, path string, n int) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var days [][]byte
	last := ""
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		stamp, _, _ := bytes.Cut(line, []byte(" "))
		ts, err := time.Parse(time.RFC3339Nano, string(stamp))
		if err != nil {
			t.Fatalf("a line without an RFC 3339 stamp: %q", line)
		}
		if day := ts.UTC().Format("2006-01-02"); day != last || len(days) == 0 {
			days, last = append(days, nil), day
		}
		days[len(days)-1] = append(days[len(days)-1], line...)
	}
	parts := make([][]byte, n)
	for i, d := range days {
		parts[i*n/len(days)] = append(parts[i*n/len(days)], d...)
	}
	return parts
}

// TestAlertSaysHowManyMore: a block that shows only the latest of the
// logins that alert says how many there are and how to list them all;
// one that shows them all says only how many.
func TestAlertSaysHowManyMore(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	shown := []logins.Login{{TS: at.Add(time.Hour), Host: "pi", Username: "root", Method: "password", IP: "45.33.0.1"}}
	for _, c := range []struct {
		alerting int64
		want     string
	}{
		{1, "knockmap: 1 login(s) loaded by this run came after failed attempts:\n"},
		{5, "knockmap: 5 logins loaded by this run came after failed attempts; the latest 1 follow " +
			"(`knockmap logins --since " + at.In(time.Local).Format(time.DateOnly) + "` lists them all, among the logins that stand out):\n"},
	} {
		var b bytes.Buffer
		if err := printAlert(&b, &nightly.Summary{Logins: shown, Alerting: c.alerting, AlertingSince: at}); err != nil {
			t.Fatal(err)
		}
		head, rest, _ := strings.Cut(b.String(), "\n")
		if head+"\n" != c.want || !strings.Contains(rest, "root logged in with password from 45.33.0.1") {
			t.Errorf("with %d alerting, the block is\n%s\nwant it to start\n%s", c.alerting, b.String(), c.want)
		}
	}
}
