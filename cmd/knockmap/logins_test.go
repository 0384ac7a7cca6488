//go:build duckdb_arrow

package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/pipeline/logins"
	"github.com/knockmap/knockmap/pipeline/store"
)

// plantedLogin is a row of gen-authlog's --logins file.
type plantedLogin struct {
	ts           time.Time
	user, ip     string
	method       string
	failedBefore int64
}

func readPlanted(t *testing.T, path string) []plantedLogin {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []plantedLogin
	for _, r := range recs[1:] {
		ts, err := time.Parse("2006-01-02T15:04:05.999999", r[0])
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.ParseInt(r[5], 10, 64)
		out = append(out, plantedLogin{ts: ts.UTC(), user: r[1], ip: strings.TrimPrefix(r[2], "::ffff:"), method: r[4], failedBefore: n})
	}
	return out
}

// loginKey matches a planted login with a row of the view: the stamps of
// the log have whole seconds.
func loginKey(ts time.Time, user, ip string) string {
	return fmt.Sprintf("%s|%s|%s", ts.UTC().Truncate(time.Second).Format(time.RFC3339), user, ip)
}

var ownerAddresses = map[string]bool{"198.51.100.7": true, "203.0.113.40": true, "2001:db8:77::12": true}

// TestLoginsGenAuthlog: over gen-authlog's connection profile, the logins
// view has every successful login once; each planted compromise (a login
// from an address that failed before) has failed_before with gen-authlog's
// count and is listed by `knockmap logins` with that reason, and no login
// of the owner's three addresses, which never fail, has it.
func TestLoginsGenAuthlog(t *testing.T) {
	dir := t.TempDir()
	auth := filepath.Join(dir, "auth.log")
	planted := filepath.Join(dir, "logins.csv")
	sharedtest.Generate(t, "--lines", "50000", "--connections", filepath.Join(dir, "c.csv"), "--logins", planted, "--rotate", "3", "--out", auth)
	want := readPlanted(t, planted)
	db := filepath.Join(dir, "k.duckdb")
	execute(t, "ingest", "--db", db, "--no-enrich", auth+".2.gz", auth+".1", auth)

	sdb, err := store.Open(context.Background(), db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	all, err := logins.Query(context.Background(), sdb.DB, time.Time{}, true)
	sdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]logins.Login{}
	for _, l := range all {
		got[loginKey(l.TS, l.Username, l.IP)] = l
	}
	if len(all) != len(want) || len(got) != len(want) {
		t.Fatalf("%d logins in the view (%d distinct), gen-authlog planted %d", len(all), len(got), len(want))
	}
	listed := execute(t, "logins", "--db", db, "--since", "")
	compromises := 0
	for _, w := range want {
		l, ok := got[loginKey(w.ts, w.user, w.ip)]
		if !ok {
			t.Errorf("login %s %s from %s is not in the view", w.ts, w.user, w.ip)
			continue
		}
		if l.FailedBefore != w.failedBefore {
			t.Errorf("login %s %s from %s: failed_before %d, gen-authlog says %d", w.ts, w.user, w.ip, l.FailedBefore, w.failedBefore)
		}
		if ownerAddresses[w.ip] && l.FailedBefore != 0 {
			t.Errorf("the owner's login from %s at %s has failed_before %d", w.ip, w.ts, l.FailedBefore)
		}
		if w.failedBefore > 0 {
			compromises++
			if !l.StandsOut || l.Method != "password" {
				t.Errorf("compromise %s %s from %s: stands_out %v, method %q", w.ts, w.user, w.ip, l.StandsOut, l.Method)
			}
			line := fmt.Sprintf("%s raspberrypi: %s logged in with password from %s", w.ts.Truncate(time.Second).Format("2006-01-02 15:04:05Z"), w.user, w.ip)
			reason := fmt.Sprintf("failed_before: %d failed attempts from this address", w.failedBefore)
			i := strings.Index(listed, line)
			if i < 0 || !strings.Contains(listed[i:min(len(listed), i+len(line)+200)], reason) {
				t.Errorf("knockmap logins does not list %q with %q", line, reason)
			}
		}
	}
	if compromises == 0 {
		t.Fatal("gen-authlog planted no compromise: the test tests nothing")
	}
	if strings.Count(listed, "failed_before:") != compromises {
		t.Errorf("knockmap logins names failed_before %d times, for %d compromises:\n%s", strings.Count(listed, "failed_before:"), compromises, listed)
	}
}
