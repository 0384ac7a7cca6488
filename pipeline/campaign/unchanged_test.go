//go:build duckdb_arrow

package campaign

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

// TestRebuildLeftBeWhenUnchanged: Rebuild leaves the campaigns be when
// they were found with the same options from the same inputs, and finds
// them again after other options, a new failed login of a member, a
// member located and located anew, and a forget.
func TestRebuildLeftBeWhenUnchanged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var b strings.Builder
	for a := range 4 {
		for u := range 8 {
			fmt.Fprintf(&b, "Mar  3 10:%02d:%02d pi sshd[%d]: Failed password for invalid user name%d from 192.0.2.%d port %d ssh2\n",
				a*8+u, u, 100+a*8+u, u, 10+a, 40000+a*8+u)
		}
	}
	log := filepath.Join(dir, "auth.log")
	if err := os.WriteFile(log, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	load := func() {
		t.Helper()
		srcs, errs := input.Expand([]string{log}, nil, time.Now())
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if _, err := ingest.Ingest(ctx, "", srcs, ingest.Options{Into: db, Location: time.UTC, Year: 2026, Warn: &bytes.Buffer{}}); err != nil {
			t.Fatal(err)
		}
	}
	campaign := func() string {
		t.Helper()
		var s string
		if err := db.QueryRowContext(ctx, `SELECT coalesce(string_agg(id || ' ' || CAST(addresses AS VARCHAR) || ' ' || attempts
			|| ' ' || CAST(asns AS VARCHAR) || ' ' || CAST(last_seen AS VARCHAR), '; ' ORDER BY id), '') FROM campaigns`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	rebuild := func(what string, opt Options, unchanged bool) *Stats {
		t.Helper()
		st, err := Rebuild(ctx, db.DB, opt)
		if err != nil {
			t.Fatal(err)
		}
		if st.Unchanged != unchanged {
			t.Errorf("%s: unchanged %v, want %v", what, st.Unchanged, unchanged)
		}
		return st
	}
	load()
	first := rebuild("the first", Options{}, false)
	if first.Campaigns != 1 || first.Members != 4 || first.Addresses != 4 {
		t.Fatalf("found %+v, want one campaign of the 4 addresses", first)
	}
	was := campaign()
	again := rebuild("nothing new", Options{}, true)
	if again.Campaigns != first.Campaigns || again.Members != first.Members || again.Addresses != first.Addresses || campaign() != was {
		t.Errorf("left be: %+v and %q, want %+v and %q", again, campaign(), first, was)
	}
	if st := rebuild("other options", Options{MinMembers: 5}, false); st.Campaigns != 0 {
		t.Errorf("with 5 members at least: %d campaigns, want none", st.Campaigns)
	}
	rebuild("the options back", Options{}, false)
	rebuild("the options back, again", Options{}, true)

	f, err := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("Mar  4 09:00:00 pi sshd[900]: Failed password for invalid user name1 from 192.0.2.11 port 41000 ssh2\n")
	f.Close()
	load()
	rebuild("a member's new attempt", Options{}, false)
	if now := campaign(); now == was || !strings.Contains(now, " 33 ") || !strings.Contains(now, "2026-03-04 09:00:00") {
		t.Errorf("after a member's new attempt: %q (before %q), want 33 attempts, the last on 4 March", now, was)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO ip_geo BY NAME
		SELECT '192.0.2.12' AS ip, 'public' AS scope, 'NL' AS country_code, 64500 AS asn, now() AS enriched_at`); err != nil {
		t.Fatal(err)
	}
	rebuild("a member located", Options{}, false)
	if now := campaign(); !strings.Contains(now, "[64500]") {
		t.Errorf("after a member was located: %q, want its ASN", now)
	}
	rebuild("nothing new after it", Options{}, true)
	if _, err := db.ExecContext(ctx, `UPDATE ip_geo SET asn = 64501 WHERE ip = '192.0.2.12'`); err != nil {
		t.Fatal(err)
	}
	rebuild("a member located anew", Options{}, false)
	if now := campaign(); !strings.Contains(now, "[64501]") {
		t.Errorf("after a member was located anew: %q, want its new ASN", now)
	}
	if _, err := ingest.Forget(ctx, db.DB, []string{log}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if st := rebuild("forgotten", Options{}, false); st.Campaigns != 0 || campaign() != "" {
		t.Errorf("after forget: %+v, %q, want no campaign", st, campaign())
	}
}
