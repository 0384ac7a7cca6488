//go:build duckdb_arrow

package campaign

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

// loaded is a database of the log lines given.
func loaded(t *testing.T, log string) *store.DB {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "auth.log")
	if err := os.WriteFile(p, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srcs, errs := input.Expand([]string{p}, nil, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, err := ingest.Ingest(context.Background(), "", srcs, ingest.Options{Into: db, Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestNetPrefix: the /24 or /48 of each form of address, written as
// netip.Prefix writes it, NULL for a name.
func TestNetPrefix(t *testing.T) {
	db := loaded(t, "")
	for _, tc := range []struct{ ip, want string }{
		{"1.2.3.4", "1.2.3.0/24"},
		{"255.0.10.200", "255.0.10.0/24"},
		{"2a01:4f8:c17:1::5", "2a01:4f8:c17::/48"},
		{"2001:0DB8:00a0:ffff::1", "2001:db8:a0::/48"},
		{"2a01::1", "2a01::/48"},
		{"2a01:4f8::", "2a01:4f8::/48"},
		{"2a01:0:5::1", "2a01:0:5::/48"},
		{"2a01:10:0:1::", "2a01:10::/48"},
		{"::1", "::/48"},
		{"1:2:3:4:5:6:7:8", "1:2:3::/48"},
		{"bad.example", "NULL"},
		{"1.2.3", "NULL"},
	} {
		var got string
		if err := db.QueryRow(`SELECT coalesce(net_prefix($1), 'NULL')`, tc.ip).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("net_prefix(%s) = %s, want %s", tc.ip, got, tc.want)
		}
		if a, err := netip.ParseAddr(tc.ip); err == nil {
			bits := map[bool]int{true: 24, false: 48}[a.Is4()]
			if p, _ := a.Prefix(bits); p.String() != got {
				t.Errorf("net_prefix(%s) = %s, netip says %s", tc.ip, got, p)
			}
		}
	}
}

// failing returns what writes a failed password line for root from ip
// at a time into log, each with a pid of its own.
func failing(log *strings.Builder) func(at time.Time, ip string) {
	pid := 100
	return func(at time.Time, ip string) {
		pid++
		fmt.Fprintf(log, "%s pi sshd[%d]: Failed password for root from %s port 4242 ssh2\n", at.Format(time.RFC3339), pid, ip)
	}
}

// slowOf is slow_addresses as "ip days attempts median-gap" lines.
func slowOf(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT ip || ' ' || days || ' ' || attempts || ' ' || CAST(median_gap_s AS BIGINT) FROM slow_addresses ORDER BY ip`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var slow []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		slow = append(slow, s)
	}
	return slow
}

// TestViews: networks and asns sum the attempts of their addresses, and
// slow_addresses marks the slow one only: not an address as slow on
// average whose attempts come in bursts, nor one on two days.
func TestViews(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var log strings.Builder
	fail := failing(&log)
	// slow: every 3 hours for 5 days (8 a day)
	for h := 0; h < 5*24; h += 3 {
		fail(start.Add(time.Duration(h)*time.Hour), "5.5.5.5")
	}
	// bursty: 30 attempts a minute apart on each of 4 days a week apart
	for d := 0; d < 4; d++ {
		for m := 0; m < 30; m++ {
			fail(start.Add(time.Duration(d*7*24)*time.Hour+time.Duration(m)*time.Minute), "5.5.5.77")
		}
	}
	// slow, but on two days only
	for h := 0; h < 40; h += 3 {
		fail(start.Add(time.Duration(h)*time.Hour), "6.6.6.6")
	}
	// fast
	for s := 0; s < 500; s++ {
		fail(start.Add(time.Duration(s*5)*time.Second), "2a01:4f8:1:2::9")
	}
	fail(start, "2a01:4f8:1:3::9")
	db := loaded(t, log.String())

	slow := slowOf(t, db)
	if want := "5.5.5.5 5 40 10800"; len(slow) != 1 || slow[0] != want {
		t.Errorf("slow_addresses %q, want [%s]", slow, want)
	}

	var nets []string
	rows, err := db.Query(`SELECT network || ' ' || attempts || ' ' || addresses FROM networks ORDER BY network`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		nets = append(nets, s)
	}
	rows.Close()
	if got, want := strings.Join(nets, ", "), "2a01:4f8:1::/48 501 2, 5.5.5.0/24 160 2, 6.6.6.0/24 14 1"; got != want {
		t.Errorf("networks: %s\nwant %s", got, want)
	}
	var asnAttempts, asnAddrs int64
	if err := db.QueryRow(`SELECT sum(attempts), sum(addresses) FROM asns`).Scan(&asnAttempts, &asnAddrs); err != nil || asnAttempts != 675 || asnAddrs != 5 {
		t.Errorf("asns: %d attempts from %d addresses (%v), want 675 from 5", asnAttempts, asnAddrs, err)
	}
}

// TestSlowAddressesEdges: slow_addresses keeps the addresses at the edges
// of what the address rollup lets through to its window (sql/0024): 3
// days of 5 attempts each, and one every 7 minutes for 3 days (8.6 an
// hour, near the bound of 10 an hour over 24 hours a day).
func TestSlowAddressesEdges(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var log strings.Builder
	fail := failing(&log)
	for d := 0; d < 3; d++ {
		for h := 0; h < 15; h += 3 {
			fail(start.Add(time.Duration(d*24+h)*time.Hour), "7.7.7.7")
		}
	}
	for m := 0; m < 3*24*60; m += 7 {
		fail(start.Add(time.Duration(m)*time.Minute), "8.8.8.8")
	}
	// just past the edges: 14 attempts over 3 days, and one every 5 minutes
	for d := 0; d < 3; d++ {
		for h := 0; h < 14; h += 3 {
			if d < 2 || h < 12 {
				fail(start.Add(time.Duration(d*24+h)*time.Hour), "9.9.9.9")
			}
		}
	}
	for m := 0; m < 3*24*60; m += 5 {
		fail(start.Add(time.Duration(m)*time.Minute), "10.1.1.1")
	}
	db := loaded(t, log.String())
	slow := slowOf(t, db)
	if want := []string{"7.7.7.7 3 15 10800", "8.8.8.8 3 618 420"}; !slices.Equal(slow, want) {
		t.Errorf("slow_addresses %q, want %q", slow, want)
	}
}
