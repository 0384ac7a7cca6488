package geoip

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter/mmdbtype"
)

func openAll(t *testing.T, paths ...string) []*Database {
	t.Helper()
	dbs, err := OpenAll(paths, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, d := range dbs {
			d.Close()
		}
	})
	return dbs
}

// TestOpenKnowsTypeFromMetadata: the type comes from the file's metadata;
// the name says nothing.
func TestOpenKnowsTypeFromMetadata(t *testing.T) {
	dir := t.TempDir()
	fx := writeFixtures(t, dir)
	renamed := filepath.Join(dir, "mystery.dat")
	b, _ := os.ReadFile(fx.asn)
	os.WriteFile(renamed, b, 0o644)
	tests := []struct {
		path  string
		roles Role
		city  bool
	}{
		{fx.city, Location, true},
		{fx.flat4, Location, true},
		{fx.flat6, Location, true},
		{fx.asn, ASN, false},
		{renamed, ASN, false},
	}
	for _, tt := range tests {
		d, err := Open(tt.path)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if d.Roles != tt.roles || d.City != tt.city || !d.Built.Equal(built) {
			t.Errorf("%s: roles %v city %v built %v; want %v %v %v", filepath.Base(tt.path), d.Roles, d.City, d.Built, tt.roles, tt.city, built)
		}
		d.Close()
	}
}

func TestLookup(t *testing.T) {
	fx := writeFixtures(t, t.TempDir())
	loc := NewLocator(openAll(t, fx.city, fx.flat4, fx.flat6, fx.asn))
	type want struct {
		scope                     Scope
		cc, country, region, city string
		lat, lon                  float64
		coords                    bool
		radius                    uint16
		asn                       uint32
		org                       string
		source                    string // a part of Source
		fallback                  bool
	}
	tests := []struct {
		addr string
		want want
	}{
		// in both city databases: the first asked wins
		{"81.2.69.142", want{Public, "GB", "United Kingdom", "England", "London", 51.5142, -0.0931, true, 10, 0, "", "GeoLite2-City", false}},
		{"1.0.0.1", want{Public, "AU", "Australia", "Queensland", "South Brisbane", -27.4767, 153.017, true, 0, 13335, "Cloudflare, Inc.", "DB-IP Lite city", false}},
		{"8.8.8.8", want{Public, "US", "United States", "", "", 37.751, -97.822, true, 1000, 15169, "Google LLC", "GeoLite2-City", false}},
		{"::ffff:8.8.8.8", want{Public, "US", "United States", "", "", 37.751, -97.822, true, 1000, 15169, "Google LLC", "GeoLite2-City", false}},
		{"2a02:c7c::1", want{Public, "GB", "United Kingdom", "England", "Leeds", 53.8, -1.55, true, 100, 5089, "Virgin Media Limited", "GeoLite2-City", false}},
		// IPv6 in the flat ipv6 file; the ipv4 file is passed over
		{"2001:db9::5", want{Public, "DE", "Germany", "Berlin", "Berlin", 52.52, 13.40, true, 0, 0, "", "DB-IP Lite city", false}},
		// the flat schema has no country name: it comes from the code
		{"175.45.176.1", want{Public, "KP", "North Korea", "Pyongyang", "Pyongyang", 39.03, 125.75, true, 0, 0, "", "DB-IP Lite city", false}},
		// no fixture covers it: the embedded country table does
		{"77.88.8.8", want{Public, "RU", "Russia", "", "", 0, 0, false, 0, 0, "", "embedded", true}},
		{"10.1.2.3", want{scope: Private}},
		{"192.168.1.1", want{scope: Private}},
		{"100.64.1.1", want{scope: Private}},
		{"fd00::1", want{scope: Private}},
		{"127.0.0.1", want{scope: Loopback}},
		{"::1", want{scope: Loopback}},
		{"169.254.3.4", want{scope: LinkLocal}},
		{"fe80::1", want{scope: LinkLocal}},
		{"203.0.113.5", want{scope: Documentation}},
		{"2001:db8::1", want{scope: Documentation}},
		{"0.0.0.0", want{scope: Reserved}},
		{"240.1.2.3", want{scope: Reserved}},
		{"ssh.example.com", want{scope: Hostname}},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			var a Answer
			loc.Lookup(tt.addr, &a)
			w := tt.want
			got := want{a.Scope, a.CountryCode, a.Country, a.Region, a.City, a.Lat, a.Lon, a.HasCoords, a.AccuracyKm, a.ASN, a.ASOrg, "", a.Fallback}
			w.source = ""
			if got != w {
				t.Errorf("got  %+v\nwant %+v", got, w)
			}
			if !strings.Contains(a.Source, tt.want.source) {
				t.Errorf("source %q, want one naming %q", a.Source, tt.want.source)
			}
			if a.Scope != Public && a.Source != "" {
				t.Errorf("a %s address was looked up in %s", a.Scope, a.Source)
			}
		})
	}
}

// TestCityBeforeCountry: a country-only database given first does not
// shadow a city database given after it.
func TestCityBeforeCountry(t *testing.T) {
	dir := t.TempDir()
	country := writeDB(t, dir, "GeoLite2-Country.mmdb", "GeoLite2-Country", 6, map[string]mmdbtype.Map{
		"81.2.69.0/24": {"country": mmdbtype.Map{"iso_code": mmdbtype.String("GB"), "names": names("United Kingdom")}},
	})
	fx := writeFixtures(t, dir)
	loc := NewLocator(openAll(t, country, fx.city))
	var a Answer
	loc.Lookup("81.2.69.142", &a)
	if a.City != "London" || !a.HasCoords {
		t.Errorf("got %+v; the city database should answer first", a)
	}
	if !loc.HasCities() {
		t.Error("HasCities is false with a city database")
	}
}

// TestNoDatabase: with nothing configured, countries still come from the
// embedded table.
func TestNoDatabase(t *testing.T) {
	loc := NewLocator(nil)
	for addr, cc := range map[string]string{"8.8.8.8": "US", "81.2.69.142": "GB", "77.88.8.8": "RU"} {
		var a Answer
		loc.Lookup(addr, &a)
		if a.CountryCode != cc || !a.Fallback || a.HasCoords || a.ASN != 0 {
			t.Errorf("%s: %+v, want %s from the embedded table", addr, a, cc)
		}
	}
	if loc.HasCities() {
		t.Error("HasCities with no database")
	}
}

func TestBadDatabases(t *testing.T) {
	dir := t.TempDir()
	fx := writeFixtures(t, dir)
	good, _ := os.ReadFile(fx.city)
	truncated := filepath.Join(dir, "truncated.mmdb")
	os.WriteFile(truncated, good[:len(good)/2], 0o644)
	garbage := filepath.Join(dir, "garbage.mmdb")
	os.WriteFile(garbage, bytes.Repeat([]byte{0xAB, 0xCD, 0x00}, 5000), 0o644)
	anon := writeDB(t, dir, "anon.mmdb", "GeoIP2-Anonymous-IP", 6, map[string]mmdbtype.Map{
		"1.2.3.0/24": {"is_anonymous": mmdbtype.Bool(true)},
	})
	for _, p := range []string{truncated, garbage} {
		_, err := Open(p)
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: want an error naming the file, got %v", p, err)
		}
	}
	if _, err := Open(anon); !errors.Is(err, ErrUnknownType) {
		t.Errorf("anonymous-IP database: want ErrUnknownType, got %v", err)
	}
	if _, err := OpenAll([]string{fx.city, truncated}, true); err == nil {
		t.Error("a named corrupt database was accepted")
	}
	if _, err := OpenAll([]string{filepath.Join(dir, "missing.mmdb")}, true); err == nil {
		t.Error("a named missing database was accepted")
	}
	// found in a folder: the good ones are used, the bad reported, the
	// unknown type passed over
	dbs, err := OpenAll([]string{dir, filepath.Join(dir, "no-such-folder")}, false)
	defer func() {
		for _, d := range dbs {
			d.Close()
		}
	}()
	if len(dbs) != 4 {
		t.Errorf("discovery opened %d databases, want the 4 good ones", len(dbs))
	}
	if err == nil || !strings.Contains(err.Error(), "truncated.mmdb") || !strings.Contains(err.Error(), "garbage.mmdb") || strings.Contains(err.Error(), "anon.mmdb") {
		t.Errorf("discovery error %v; want truncated and garbage named, anon not", err)
	}
}

func TestSearchPath(t *testing.T) {
	t.Setenv("KNOCKMAP_GEOIP", "")
	t.Setenv("XDG_DATA_HOME", "/data")
	got := SearchPath()
	want := []string{"/data/knockmap/geoip", "/usr/share/GeoIP", "/var/lib/GeoIP"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("SearchPath() = %v, want %v", got, want)
	}
	t.Setenv("KNOCKMAP_GEOIP", "/a.mmdb"+string(os.PathListSeparator)+"/b")
	if got := SearchPath(); strings.Join(got, ",") != "/a.mmdb,/b" {
		t.Errorf("with KNOCKMAP_GEOIP: %v", got)
	}
}

func gz(t *testing.T, path string) []byte {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(raw)
	zw.Close()
	return b.Bytes()
}

// TestUpdateDBIP downloads from a local server: this month's files are not
// out yet, last month's are; then a broken download leaves them in place.
func TestUpdateDBIP(t *testing.T) {
	src := t.TempDir()
	city := writeDB(t, src, "c.mmdb", "DBIP-City-Lite", 6, map[string]mmdbtype.Map{
		"8.8.8.0/24": cityRecord("US", "United States", "California", "Mountain View", 37.42, -122.08, 0),
	})
	asn := writeDB(t, src, "a.mmdb", "DBIP-ASN-Lite (compat=GeoLite2-ASN)", 6, map[string]mmdbtype.Map{
		"8.8.8.0/24": asnRecord(15169, "Google LLC"),
	})
	files := map[string][]byte{
		"/free/dbip-city-lite-2026-10.mmdb.gz": gz(t, city),
		"/free/dbip-asn-lite-2026-10.mmdb.gz":  gz(t, asn),
	}
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "geoip")
	now := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	ups, err := UpdateDBIP(context.Background(), srv.Client(), srv.URL+"/free", dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 2 || ups[0].Type != "DBIP-City-Lite" || !strings.HasSuffix(ups[1].URL, "dbip-asn-lite-2026-10.mmdb.gz") {
		t.Fatalf("updates %+v", ups)
	}
	wantAsked := "/free/dbip-city-lite-2026-11.mmdb.gz /free/dbip-city-lite-2026-10.mmdb.gz /free/dbip-asn-lite-2026-11.mmdb.gz /free/dbip-asn-lite-2026-10.mmdb.gz"
	if strings.Join(asked, " ") != wantAsked {
		t.Errorf("asked %v", asked)
	}
	loc := NewLocator(openAll(t, dir))
	var a Answer
	loc.Lookup("8.8.8.8", &a)
	if a.City != "Mountain View" || a.ASN != 15169 || a.Fallback {
		t.Errorf("the downloaded databases answer %+v", a)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "dbip-city-lite.mmdb"))

	// November is out now, but broken in three ways
	bad := []struct {
		name string
		body []byte
	}{
		{"truncated gzip", gz(t, city)[:200]},
		{"not a database", gz(t, filepath.Join(src, "../"+filepath.Base(src), "c.mmdb"))[:0]},
		{"does not locate 8.8.8.8", gz(t, writeDB(t, src, "empty.mmdb", "DBIP-City-Lite", 6, map[string]mmdbtype.Map{
			"1.0.0.0/24": cityRecord("AU", "Australia", "", "", -27, 153, 0),
		}))},
	}
	for _, b := range bad {
		files["/free/dbip-city-lite-2026-11.mmdb.gz"] = b.body
		_, err := UpdateDBIP(context.Background(), srv.Client(), srv.URL+"/free/", dir, now)
		if err == nil {
			t.Errorf("%s: accepted", b.name)
		}
		after, _ := os.ReadFile(filepath.Join(dir, "dbip-city-lite.mmdb"))
		if !bytes.Equal(before, after) {
			t.Errorf("%s: the old database was replaced", b.name)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("left behind in %s: %v", dir, ents)
	}
}
