//go:build duckdb_arrow

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/logins"
	"github.com/knockmap/knockmap/pipeline/store"
)

// reasonsLog is a hand-made log with a login for each reason to stand
// out, and logins that have none.
var reasonsLog = []string{
	// day 1: alice's first login (no history: nothing to compare with); ivan tried long before his login
	"2026-01-01T10:00:00+00:00 pi sshd[100]: Accepted publickey for alice from 198.51.100.7 port 4000 ssh2: ED25519 SHA256:aliceLaptopKey",
	"2026-01-01T12:00:00+00:00 pi sshd[101]: Failed password for ivan from 192.0.3.62 port 4000 ssh2",
	// day 2: an address that failed logs in; a typo in the login's own connection; kim's first login
	"2026-01-02T09:00:00+00:00 pi sshd[200]: Failed password for bob from 203.0.113.5 port 4000 ssh2",
	"2026-01-02T09:00:10+00:00 pi sshd[200]: message repeated 2 times: [ Failed password for bob from 203.0.113.5 port 4000 ssh2]",
	"2026-01-02T09:30:00+00:00 pi sshd[201]: Accepted password for carol from 203.0.113.5 port 4001 ssh2",
	"2026-01-02T10:00:00+00:00 pi sshd[202]: Failed password for dave from 100.100.5.5 port 4002 ssh2",
	"2026-01-02T10:00:05+00:00 pi sshd[202]: Failed password for dave from 100.100.5.5 port 4002 ssh2",
	"2026-01-02T10:00:09+00:00 pi sshd[202]: Accepted password for dave from 100.100.5.5 port 4002 ssh2",
	"2026-01-02T11:00:00+00:00 pi sshd[203]: Accepted publickey for kim from 198.51.100.30 port 4003 ssh2: ECDSA SHA256:kimKey",
	// day 3: networks that failed: a /24, a /48, an ASN
	"2026-01-03T08:00:00+00:00 pi sshd[210]: Failed password for root from 203.0.113.9 port 4000 ssh2",
	"2026-01-03T08:00:00+00:00 pi sshd[210]: message repeated 3 times: [ Failed password for root from 203.0.113.9 port 4000 ssh2]",
	"2026-01-03T09:00:00+00:00 pi sshd[211]: Accepted publickey for erin from 203.0.113.77 port 4001 ssh2",
	"2026-01-03T10:00:00+00:00 pi sshd[220]: Failed password for root from 2001:db8:aa:1::5 port 4000 ssh2",
	"2026-01-03T10:00:01+00:00 pi sshd[220]: Failed password for root from 2001:db8:aa:1::5 port 4000 ssh2",
	"2026-01-03T11:00:00+00:00 pi sshd[221]: Accepted publickey for frank from 2001:db8:aa:ffff::9 port 4001 ssh2",
	"2026-01-03T12:00:00+00:00 pi sshd[230]: message repeated 5 times: [ Failed password for root from 198.18.1.1 port 4000 ssh2]",
	"2026-01-03T13:00:00+00:00 pi sshd[231]: Accepted publickey for gina from 198.18.200.2 port 4001 ssh2",
	// days 4 and 5: henry is tried from elsewhere, then logs in with a password; jack with a key
	"2026-01-04T08:00:00+00:00 pi sshd[240]: Failed password for henry from 192.0.2.60 port 4000 ssh2",
	"2026-01-04T08:10:00+00:00 pi sshd[241]: Failed password for henry from 192.0.2.61 port 4000 ssh2",
	"2026-01-04T08:20:00+00:00 pi sshd[242]: Failed password for jack from 192.0.2.63 port 4000 ssh2",
	"2026-01-05T08:00:00+00:00 pi sshd[243]: Accepted keyboard-interactive/pam for henry from 198.51.100.20 port 4001 ssh2",
	"2026-01-05T08:30:00+00:00 pi sshd[244]: Accepted publickey for jack from 198.51.100.22 port 4001 ssh2",
	// days 6 to 10: alice from a new address, at a new hour, as usual with a new key; kim from a new ASN and country with his key; ivan
	"2026-01-06T10:00:00+00:00 pi sshd[250]: Accepted publickey for alice from 198.51.100.8 port 4001 ssh2: ED25519 SHA256:aliceLaptopKey",
	"2026-01-07T23:00:00+00:00 pi sshd[251]: Accepted publickey for alice from 198.51.100.7 port 4002 ssh2: ED25519 SHA256:aliceLaptopKey",
	"2026-01-08T10:30:00+00:00 pi sshd[252]: Accepted publickey for alice from 198.51.100.7 port 4003 ssh2: RSA-CERT SHA256:aliceNewCert ID alice (serial 3) CA ED25519 SHA256:houseCA",
	"2026-01-09T11:30:00+00:00 pi sshd[253]: Accepted publickey for kim from 198.51.100.31 port 4004 ssh2: ECDSA SHA256:kimKey",
	"2026-01-10T12:00:00+00:00 pi sshd[254]: Accepted password for ivan from 198.51.100.21 port 4005 ssh2",
}

// reasonsGeo is where the hand-made log's addresses are.
var reasonsGeo = []struct {
	ip, country string
	asn         int
}{
	{"198.51.100.7", "Netherlands", 64501},
	{"198.51.100.8", "Netherlands", 64501},
	{"198.51.100.30", "Netherlands", 64501},
	{"198.51.100.31", "Germany", 64502},
	{"198.18.1.1", "France", 64500},
	{"198.18.200.2", "France", 64500},
}

// TestLoginReasons: each reason of the logins view on a hand-made case,
// and logins with none of them that do not stand out.
func TestLoginReasons(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "auth.log")
	os.WriteFile(logPath, []byte(strings.Join(reasonsLog, "\n")+"\n"), 0o644)
	db := filepath.Join(dir, "k.duckdb")
	execute(t, "ingest", "--db", db, "--no-enrich", logPath)
	ctx := context.Background()
	wdb, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range reasonsGeo {
		if _, err := wdb.ExecContext(ctx, `INSERT INTO ip_geo (ip, scope, country, asn, enriched_at) VALUES (?, 'public', ?, ?, now())`, g.ip, g.country, g.asn); err != nil {
			t.Fatal(err)
		}
	}
	wdb.Close()
	sdb, err := store.Open(ctx, db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	all, err := logins.Query(ctx, sdb.DB, time.Time{}, true)
	sdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	// the named query: the last 7 days of the log (from Jan 3 12:00) stand out by gina, henry, alice thrice and kim
	named := execute(t, "query", "--db", db, "--format", "csv", "logins_that_stand_out")
	if n := strings.Count(named, "\n") - 1; n != 6 || !strings.Contains(named, "gina") || !strings.Contains(named, "henry") || strings.Contains(named, "carol") ||
		!strings.Contains(named, "RSA-CERT,SHA256:aliceNewCert") {
		t.Errorf("logins_that_stand_out gives %d logins, want gina's, henry's, alice's three (with her new key) and kim's:\n%s", n, named)
	}
	got := map[string]logins.Login{}
	for _, l := range all {
		got[l.TS.UTC().Format("01-02T15:04")+" "+l.Username] = l
	}
	since := time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		login string
		want  logins.Login // the key, the reason columns, StandsOut and Alerts
	}{
		{"01-01T10:00 alice", logins.Login{KeyType: "ED25519", KeyFingerprint: "SHA256:aliceLaptopKey"}},
		{"01-02T09:30 carol", logins.Login{FailedBefore: 3, FailedSince: &since, StandsOut: true, Alerts: true}},
		{"01-02T10:00 dave", logins.Login{FailedInConnection: 2}},
		{"01-02T11:00 kim", logins.Login{KeyType: "ECDSA", KeyFingerprint: "SHA256:kimKey"}},
		{"01-03T09:00 erin", logins.Login{NetworkFailedBefore: 7, NetworkFailedFrom: "203.0.113.0/24", StandsOut: true, Alerts: true}},
		{"01-03T11:00 frank", logins.Login{NetworkFailedBefore: 2, NetworkFailedFrom: "2001:db8:aa::/48", StandsOut: true, Alerts: true}},
		{"01-03T13:00 gina", logins.Login{NetworkFailedBefore: 5, NetworkFailedFrom: "AS64500", StandsOut: true, Alerts: true}},
		{"01-05T08:00 henry", logins.Login{PasswordWhileBruteforced: 2, StandsOut: true, Alerts: true}},
		{"01-05T08:30 jack", logins.Login{}},
		{"01-06T10:00 alice", logins.Login{KeyType: "ED25519", KeyFingerprint: "SHA256:aliceLaptopKey", FirstFromAddress: true, StandsOut: true}},
		{"01-07T23:00 alice", logins.Login{KeyType: "ED25519", KeyFingerprint: "SHA256:aliceLaptopKey", NewHour: true, StandsOut: true}},
		{"01-08T10:30 alice", logins.Login{KeyType: "RSA-CERT", KeyFingerprint: "SHA256:aliceNewCert", NewKey: true, StandsOut: true}},
		{"01-09T11:30 kim", logins.Login{KeyType: "ECDSA", KeyFingerprint: "SHA256:kimKey", FirstFromAddress: true, FirstFromASN: true, FirstFromCountry: true, StandsOut: true}},
		{"01-10T12:00 ivan", logins.Login{}},
	}
	if len(all) != len(tests) {
		t.Errorf("%d logins in the view, want %d", len(all), len(tests))
	}
	show := func(l logins.Login) string {
		s := ""
		if l.FailedSince != nil {
			s = l.FailedSince.UTC().Format(time.RFC3339)
		}
		return fmt.Sprintf("key=%q %q failed_before=%d since=%s in_connection=%d network=%d from=%q password_while_bruteforced=%d first address=%v asn=%v country=%v new_hour=%v new_key=%v stands_out=%v alerts=%v",
			l.KeyType, l.KeyFingerprint, l.FailedBefore, s, l.FailedInConnection, l.NetworkFailedBefore, l.NetworkFailedFrom, l.PasswordWhileBruteforced,
			l.FirstFromAddress, l.FirstFromASN, l.FirstFromCountry, l.NewHour, l.NewKey, l.StandsOut, l.Alerts)
	}
	for _, tc := range tests {
		l, ok := got[tc.login]
		if !ok {
			t.Errorf("%s: not in the view", tc.login)
			continue
		}
		if g, w := show(l), show(tc.want); g != w {
			t.Errorf("%s:\n got %s\nwant %s", tc.login, g, w)
		}
		if l.StandsOut != (len(l.Reasons) > 0) {
			t.Errorf("%s: stands_out %v with reasons %q", tc.login, l.StandsOut, l.Reasons)
		}
	}
	var printed strings.Builder
	if err := logins.Print(&printed, []logins.Login{got["01-08T10:30 alice"]}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"alice logged in with publickey RSA-CERT SHA256:aliceNewCert from", "new_key: a key fingerprint not seen before for this user (RSA-CERT SHA256:aliceNewCert)"} {
		if !strings.Contains(printed.String(), want) {
			t.Errorf("the login prints without %q:\n%s", want, printed.String())
		}
	}
}
