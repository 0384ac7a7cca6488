//go:build duckdb_arrow

package campaign

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

// planted is gen-authlog's connection profile of 200,000 lines in a
// database, with its campaigns file: kind → id → addresses.
type planted struct {
	db   *store.DB
	want map[string]map[string][]string
}

var (
	plantedOnce sync.Once
	plantedDB   planted
	plantedErr  string
	plantedDir  string
)

// genPlanted makes the database once for the package's tests, or skips
// when ../shared's gen-authlog is absent.
func genPlanted(t *testing.T) planted {
	t.Helper()
	gen := sharedtest.GenAuthlog(t)
	plantedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "knockmap-campaign")
		if err != nil {
			plantedErr = err.Error()
			return
		}
		plantedDir = dir
		out, camp := filepath.Join(dir, "auth.log"), filepath.Join(dir, "camp.csv")
		if b, err := exec.Command("python3", gen, "--lines", "200000", "--connections", filepath.Join(dir, "c.csv"),
			"--campaigns", camp, "--out", out).CombinedOutput(); err != nil {
			plantedErr = "gen-authlog: " + err.Error() + "\n" + string(b)
			return
		}
		db, err := store.Open(context.Background(), filepath.Join(dir, "k.duckdb"), store.Options{})
		if err != nil {
			plantedErr = err.Error()
			return
		}
		srcs, errs := input.Expand([]string{out}, nil, time.Now())
		if len(errs) > 0 {
			plantedErr = errs[0].Error()
			return
		}
		var warn bytes.Buffer
		if _, err := ingest.Ingest(context.Background(), "", srcs, ingest.Options{Into: db, Location: time.UTC, Warn: &warn}); err != nil {
			plantedErr = err.Error()
			return
		}
		f, err := os.Open(camp)
		if err != nil {
			plantedErr = err.Error()
			return
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			plantedErr = err.Error()
			return
		}
		want := map[string]map[string][]string{}
		for _, r := range recs[1:] {
			if want[r[0]] == nil {
				want[r[0]] = map[string][]string{}
			}
			want[r[0]][r[1]] = append(want[r[0]][r[1]], r[2])
		}
		plantedDB = planted{db: db, want: want}
	})
	if plantedErr != "" {
		t.Fatal(plantedErr)
	}
	return plantedDB
}

func TestMain(m *testing.M) {
	code := m.Run()
	if plantedDB.db != nil {
		plantedDB.db.Close()
	}
	if plantedDir != "" {
		os.RemoveAll(plantedDir)
	}
	os.Exit(code)
}

// TestRebuildPlanted: on gen-authlog's connection profile the three
// planted campaigns are found with exactly their members, no other
// campaign of 10 or more addresses is, and the table says so.
func TestRebuildPlanted(t *testing.T) {
	p := genPlanted(t)
	st, err := Rebuild(context.Background(), p.db.DB, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", st)
	if len(p.want["campaign"]) != 3 {
		t.Fatalf("camp.csv plants %d campaigns, want 3", len(p.want["campaign"]))
	}
	rows, err := p.db.Query(`SELECT id, addresses, usernames, attempts, first_seen <= last_seen FROM campaigns ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	found := map[string]bool{}
	for rows.Next() {
		var id int
		var addrs, users []any
		var attempts int64
		var ordered bool
		if err := rows.Scan(&id, &addrs, &users, &attempts, &ordered); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range addrs {
			got = append(got, a.(string))
		}
		matched := ""
		for k, w := range p.want["campaign"] {
			w = slices.Sorted(slices.Values(w))
			if slices.Equal(w, got) {
				matched = k
			}
		}
		switch {
		case matched != "":
			found[matched] = true
			if len(users) < 15 || attempts < int64(len(got))*15 || !ordered {
				t.Errorf("campaign %d (planted %s): %d usernames, %d attempts, first ≤ last %v", id, matched, len(users), attempts, ordered)
			}
		case len(got) >= 10:
			t.Errorf("campaign %d of %d addresses is not planted: %v", id, len(got), got)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for k := range p.want["campaign"] {
		if !found[k] {
			t.Errorf("planted campaign %s not found with exactly its members", k)
		}
	}
	// rebuilt, not added to
	var n int
	if _, err := Rebuild(context.Background(), p.db.DB, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := p.db.QueryRow(`SELECT count(*) FROM campaigns`).Scan(&n); err != nil || n != st.Campaigns {
		t.Errorf("after a second rebuild %d campaigns (%v), want %d", n, err, st.Campaigns)
	}
}

// TestSlowPlanted: the two planted slow brute forces are in
// slow_addresses, and no other address is: not the fast ones (50 attempts
// in an hour), not the campaigns' members, not the background.
func TestSlowPlanted(t *testing.T) {
	p := genPlanted(t)
	rows, err := p.db.Query(`SELECT ip, attempts, days, per_hour, median_gap_s FROM slow_addresses ORDER BY ip`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]bool{}
	for rows.Next() {
		var ip string
		var attempts, days int64
		var perHour, median float64
		if err := rows.Scan(&ip, &attempts, &days, &perHour, &median); err != nil {
			t.Fatal(err)
		}
		t.Logf("slow: %s %d attempts over %d days, %.2f/h, median gap %.0f s", ip, attempts, days, perHour, median)
		got[ip] = true
		if perHour >= 10 || days < 3 || median < 360 || attempts < 5*days {
			t.Errorf("%s is not slow: %.2f/h over %d days, median gap %.0f s", ip, perHour, days, median)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, ips := range p.want["slow"] {
		for _, ip := range ips {
			if !got[ip] {
				t.Errorf("planted slow address %s not in slow_addresses", ip)
			}
		}
	}
	if len(got) != 2 {
		t.Errorf("%d addresses marked slow, want the 2 planted", len(got))
	}
	// the fast: every address with 50 or more attempts in one hour
	var fast int
	if err := p.db.QueryRow(`SELECT count(*) FROM (SELECT ip FROM failed_login_lines GROUP BY ip, utc_day(ts), utc_hour(ts) HAVING sum(attempts) >= 50)
		WHERE ip IN (SELECT ip FROM slow_addresses)`).Scan(&fast); err != nil || fast != 0 {
		t.Errorf("%d fast addresses marked slow (%v)", fast, err)
	}
}
