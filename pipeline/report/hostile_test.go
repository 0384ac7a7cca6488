//go:build duckdb_arrow

package report

import (
	"context"
	"github.com/knockmap/knockmap/pipeline/geoip/geoiptest"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/knockmap/knockmap/maps/render"
	"github.com/knockmap/knockmap/pipeline/geoip"
)

// Hostile GeoIP names: a right-to-left override and a terminal escape in
// a country, a region, a city and an AS organisation; and in the name of
// the database an answer came from, which the credits show.
const (
	evilCountry = "\u202eUK\x1b[31mGB"
	evilCity    = "\x1b[31mLondon\u202e"
	evilOrg     = "\u202eEv\x1b[31m"
	evilType    = "Evil-City\u202e\x1b[31m"
)

// writeHostileDBs writes a city database and an ASN database whose
// answers for places[0] carry the hostile names.
func writeHostileDBs(t *testing.T) []string {
	t.Helper()
	var paths []string
	for _, db := range []struct {
		typ string
		rec mmdbtype.Map
	}{
		{"GeoLite2-City", mmdbtype.Map{
			"country":      mmdbtype.Map{"iso_code": mmdbtype.String("GB"), "names": mmdbtype.Map{"en": mmdbtype.String(evilCountry)}},
			"subdivisions": mmdbtype.Slice{mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(evilCity)}}},
			"city":         mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(evilCity)}},
			"location":     mmdbtype.Map{"latitude": mmdbtype.Float64(51.5), "longitude": mmdbtype.Float64(-0.1)},
		}},
		{"GeoLite2-ASN", mmdbtype.Map{
			"autonomous_system_number":       mmdbtype.Uint32(64500),
			"autonomous_system_organization": mmdbtype.String(evilOrg),
		}},
	} {
		path := geoiptest.Write(t, t.TempDir(), "geo.mmdb", db.typ, 0, map[string]mmdbtype.Map{places[0].net: db.rec})
		paths = append(paths, path)
	}
	return paths
}

// acting finds a character in s that would act instead of showing: a
// control other than newline and tab, a bidi control, invalid UTF-8.
func acting(s string) (rune, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return r, true
		}
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
			return r, true
		}
	}
	return 0, false
}

// TestHostileGeoIPNames: bidi and control characters in a GeoIP answer
// are shown inert on the page (the timeline's country names, the
// credits) and in the pictures, as usernames are.
func TestHostileGeoIPNames(t *testing.T) {
	dbs, err := geoip.OpenAll(writeHostileDBs(t), true)
	if err != nil {
		t.Fatal(err)
	}
	db := fixtureDB(t, geoip.NewLocator(dbs))
	// a database's name cannot be chosen through a GeoIP file (knockmap
	// reads only the types it knows), but the credits show it all the same
	if _, err := db.Exec(`UPDATE ip_geo SET source = ? WHERE country_code = 'GB'`, evilType); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := db.QueryRow(`SELECT country || city || as_org || source FROM ip_geo WHERE country_code = 'GB'`).Scan(&got); err != nil || !strings.Contains(got, evilCountry) || !strings.Contains(got, evilOrg) {
		t.Fatalf("the database holds %q (%v), want the hostile names as answered", got, err)
	}
	out := t.TempDir()
	if _, err := Run(context.Background(), db.DB, Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if r, bad := acting(html); bad {
		i := strings.IndexRune(html, r)
		t.Errorf("index.html holds %U: %q", r, html[max(0, i-60):min(len(html), i+60)])
	}
	for _, s := range []string{`u202eUK`, `x1b[31mGB`, `Evil-City\u202e\x1b[31m`} {
		if !strings.Contains(html, s) {
			t.Errorf("index.html does not show %q", s)
		}
	}

	// the pictures: each label is drawn as its inert form would be (the
	// names are short enough that neither is cut)
	d, err := load(context.Background(), db.DB, period{since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), until: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	shown := *d
	shown.Countries = labelled(d.Countries)
	shown.ASNs = labelled(d.ASNs)
	shown.ByCountry = labelled(d.ByCountry)
	var found int
	for _, c := range append(append([]Count(nil), d.Countries...), d.ASNs...) {
		if strings.Contains(c.Label, "\u202e") {
			found++
		}
	}
	if found < 2 {
		t.Fatalf("the report's data has %d hostile labels, want the country and the AS organisation", found)
	}
	hostile, inert := charts(d, "span"), charts(&shown, "span")
	for i, p := range hostile {
		if p.File != "countries.png" && p.File != "asns.png" && p.File != "timeline.png" {
			continue
		}
		a, b := p.draw(render.Style{Scale: 1}), inert[i].draw(render.Style{Scale: 1})
		if !samePixels(a, b) {
			t.Errorf("%s draws the hostile names otherwise than their inert form", p.File)
		}
	}
}

// labelled is cs with each label in the form render.Label gives it.
func labelled(cs []Count) []Count {
	out := append([]Count(nil), cs...)
	for i := range out {
		out[i].Label = render.Label(out[i].Label, 1000)
	}
	return out
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}
