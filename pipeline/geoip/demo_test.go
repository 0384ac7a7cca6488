package geoip

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/pipeline/samplelog"
)

// TestDemoExcerptCoversSample: the demo's excerpt was made for the sample
// the demo writes now (SOURCES records the checksum of its address list:
// changing the sample without `task assets` fails here), and it answers
// as many of the sample's addresses as SOURCES says, with coordinates, the
// US states the report maps on their own among them.
func TestDemoExcerptCoversSample(t *testing.T) {
	m := regexp.MustCompile(`demo addresses: +(\d+) listed, (\d+) public, sha256 ([0-9a-f]{64}) .*; city answers (\d+), asn answers (\d+)`).FindStringSubmatch(embeddedSources)
	if m == nil {
		t.Fatal("embedded/SOURCES has no demo addresses line")
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	addrs := samplelog.Addresses(samplelog.Demo)
	if sum := fmt.Sprintf("%x", sha256.Sum256([]byte(strings.Join(addrs, "\n")+"\n"))); sum != m[3] || len(addrs) != atoi(m[1]) {
		t.Fatalf("the demo's sample has %d addresses (sha256 %s), the excerpt was made for %s (sha256 %s): run `go tool -modfile=tools/go.mod task assets`",
			len(addrs), sum, m[1], m[3])
	}
	dbs, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	loc := NewLocator(dbs)
	var public, city, coords, asn int
	regions := map[string]int{}
	for _, s := range addrs {
		var a Answer
		loc.Lookup(s, &a)
		if a.Scope != Public {
			continue
		}
		public++
		if !a.Fallback && strings.Contains(a.Source, "demo excerpt") {
			city++
		}
		if a.HasCoords {
			coords++
		}
		if a.ASN != 0 && strings.Contains(a.ASNSource, "demo excerpt") {
			asn++
		}
		if a.CountryCode == "US" || a.CountryCode == "PR" {
			regions[a.CountryCode+"/"+a.Region]++
		}
	}
	if public != atoi(m[2]) || city != atoi(m[4]) || asn != atoi(m[5]) {
		t.Errorf("excerpt answers %d public addresses: city %d, asn %d; SOURCES says %s, %s, %s", public, city, asn, m[2], m[4], m[5])
	}
	if coords < city*9/10 {
		t.Errorf("only %d of %d located addresses have coordinates", coords, city)
	}
	for _, want := range []string{"US/Alaska", "US/Hawaii", "US/District of Columbia", "PR/"} {
		found := 0
		for k, n := range regions {
			if strings.HasPrefix(k, want) {
				found += n
			}
		}
		if found < 2 {
			t.Errorf("%d sample addresses located in %s, want the two planted ones (regions: %v)", found, want, regions)
		}
	}
}

// TestDemoExcerptOnlyTheSample: an address that is not the sample's gets
// no more from the demo's excerpt than from no database (a country), and
// the locator with no databases never asks the excerpt.
func TestDemoExcerptOnlyTheSample(t *testing.T) {
	dbs, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	demo, none := NewLocator(dbs), NewLocator(nil)
	sample := samplelog.Addresses(samplelog.Demo)[0]
	for _, c := range []struct {
		name, addr string
		loc        *Locator
	}{
		{"not in the sample, IPv4", "8.8.8.8", demo},
		{"not in the sample, IPv6", "2001:4860:4860::8888", demo},
		{"not in the sample, mapped", "::ffff:9.9.9.9", demo},
		{"the sample without the demo", sample, none},
	} {
		var a Answer
		c.loc.Lookup(c.addr, &a)
		if a.CountryCode == "" || !a.Fallback || a.HasCoords || a.City != "" || a.ASN != 0 || strings.Contains(a.Source, "demo") {
			t.Errorf("%s: %s answered %+v, want a country from the embedded table only", c.name, c.addr, a)
		}
	}
}

// TestDemoCredits: the page credits each source of the excerpt.
func TestDemoCredits(t *testing.T) {
	dbs, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		db   *Database
		want []string
	}{
		{dbs[0], []string{"DB-IP", "CC BY 4.0"}},
		{dbs[1], []string{"RouteViews", "NRO", "DB-IP", "CC BY 4.0"}},
	} {
		credit := Credit(c.db.Name())
		for _, w := range c.want {
			if !strings.Contains(credit, w) {
				t.Errorf("%s: credit %q lacks %q", c.db.Name(), credit, w)
			}
		}
	}
}
