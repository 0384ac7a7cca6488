//go:build duckdb_arrow

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestBlocklistCommand: from a log, knockmap blocklist lists the public
// attackers and never the owner's address (accepted, never failed), a
// private, documentation or hostname source, or an --allow one; no
// username reaches any format; and knockmap campaigns finds the one
// planted in the log.
func TestBlocklistCommand(t *testing.T) {
	dir := t.TempDir()
	now := time.Now().UTC().Add(-time.Hour)
	var log strings.Builder
	line := func(d time.Duration, msg string) {
		fmt.Fprintf(&log, "%s pi sshd[%d]: %s\n", now.Add(d).Format(time.RFC3339), 100+log.Len()%30000, msg)
	}
	// the owner logs in from 81.2.69.160; 81.2.69.161, in its /24, attacks
	line(0, "Accepted publickey for me from 81.2.69.160 port 50000 ssh2: ED25519 SHA256:x")
	sources := []string{"81.2.69.161", "8.8.4.4", "2a01:4f8:1:2::5", "10.0.0.7", "192.0.2.9", "2001:db8::7", "9.9.9.9", "bad.example"}
	for i, ip := range sources {
		for k := 0; k < 3+i; k++ {
			line(time.Duration(i*10+k)*time.Second, fmt.Sprintf("Failed password for invalid user SECRETNAME%d-%d from %s port 4242 ssh2", i, k, ip))
		}
	}
	// a campaign of 6 addresses over a dictionary of 8 names, a day each
	for a := 0; a < 6; a++ {
		for k := 0; k < 8; k++ {
			line(time.Duration(-a)*24*time.Hour+time.Duration(k)*time.Minute, fmt.Sprintf("Failed password for invalid user dict%d from 45.33.%d.1 port 4242 ssh2", k, a))
		}
	}
	logPath := filepath.Join(dir, "auth.log")
	os.WriteFile(logPath, []byte(log.String()), 0o644)
	db := filepath.Join(dir, "k.duckdb")
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("KNOCKMAP_GEOIP", "")
	execute(t, "ingest", "--db", db, "--no-enrich", logPath)

	campaigns := []string{"45.33.0.1", "45.33.1.1", "45.33.2.1", "45.33.3.1", "45.33.4.1", "45.33.5.1"}
	attackers := append([]string{"8.8.4.4", "9.9.9.9"}, campaigns...)
	attackers = append(attackers, "81.2.69.161", "2a01:4f8:1:2::5")
	slices.SortFunc(attackers, func(a, b string) int { return strings.Compare(a, b) })
	lines := func(s string) []string {
		out := strings.Split(strings.TrimSpace(s), "\n")
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, attackers},
		{[]string{"--allow", "9.9.9.0/24,2a01:4f8::/32", "--allow", "8.8.4.4"}, slices.DeleteFunc(slices.Clone(attackers), func(s string) bool {
			return s == "9.9.9.9" || s == "8.8.4.4" || s == "2a01:4f8:1:2::5"
		})},
		{[]string{"--min-attempts", "8"}, []string{"45.33.0.1", "45.33.1.1", "45.33.2.1", "45.33.3.1", "45.33.4.1", "45.33.5.1", "9.9.9.9"}},
		// 81.2.69.0/24 holds the owner's address: 81.2.69.161 alone
		{[]string{"--aggregate", "/24"}, []string{"2a01:4f8:1::/48", "45.33.0.0/24", "45.33.1.0/24", "45.33.2.0/24", "45.33.3.0/24", "45.33.4.0/24", "45.33.5.0/24", "8.8.4.0/24", "81.2.69.161", "9.9.9.0/24"}},
		{[]string{"--since", "2h"}, slices.DeleteFunc(slices.Clone(attackers), func(s string) bool { return strings.HasPrefix(s, "45.33.") && s != "45.33.0.1" })},
	} {
		got := lines(execute(t, append([]string{"blocklist", "--db", db, "--since", "30d"}, tc.args...)...))
		if !slices.Equal(got, tc.want) {
			t.Errorf("blocklist %v:\n got %v\nwant %v", tc.args, got, tc.want)
		}
	}
	for _, f := range []string{"plain", "nft", "ipset", "fail2ban", "crowdsec", "abuseipdb"} {
		out := execute(t, "blocklist", "--db", db, "--format", f)
		for _, bad := range []string{"SECRETNAME", "dict", "81.2.69.160", "10.0.0.7", "192.0.2.9", "2001:db8::7", "bad.example"} {
			if strings.Contains(out, bad) {
				t.Errorf("--format %s shows %s:\n%s", f, bad, out)
			}
		}
		if !strings.Contains(out, "8.8.4.4") {
			t.Errorf("--format %s misses 8.8.4.4:\n%s", f, out)
		}
	}

	if out := execute(t, "campaigns", "--db", db); !strings.HasPrefix(out, "1 campaigns of 6 addresses") {
		t.Errorf("campaigns: %s", out)
	}
	got := execute(t, "query", "--db", db, "--format", "csv", "SELECT array_to_string(addresses, ' '), array_to_string(usernames, ' ') FROM campaigns")
	if want := strings.Join(campaigns, " ") + ",dict0 dict1 dict2 dict3 dict4 dict5 dict6 dict7"; !strings.Contains(got, want) {
		t.Errorf("campaigns table:\n%s\nwant %s", got, want)
	}
}

// TestRunCampaigns: knockmap run rebuilds the campaigns table after its
// ingest, and says so in its --json summary.
func TestRunCampaigns(t *testing.T) {
	dir := t.TempDir()
	var log strings.Builder
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for a := 0; a < 4; a++ {
		for k := 0; k < 7; k++ {
			at = at.Add(time.Minute)
			fmt.Fprintf(&log, "%s pi sshd[%d]: Failed password for invalid user word%d from 45.33.%d.1 port 4242 ssh2\n", at.Format(time.RFC3339), 100+a*10+k, k, a)
		}
	}
	logPath := filepath.Join(dir, "auth.log")
	os.WriteFile(logPath, []byte(log.String()), 0o644)
	db := filepath.Join(dir, "k.duckdb")
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("KNOCKMAP_GEOIP", "")
	out := execute(t, "run", "--db", db, "--json", logPath) // located by the embedded tables, so the countries are known
	var sum struct {
		Campaigns *struct {
			Campaigns, Members int
		}
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Campaigns == nil || sum.Campaigns.Campaigns != 1 || sum.Campaigns.Members != 4 {
		t.Fatalf("run --json: %v %+v\n%s", err, sum.Campaigns, out)
	}
	got := execute(t, "query", "--db", db, "--format", "csv", "SELECT len(addresses), attempts, len(countries) > 0 FROM campaigns")
	if !strings.Contains(got, "4,28,true") {
		t.Errorf("campaigns after run:\n%s", got)
	}
}
