//go:build duckdb_arrow

package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/geoip"
)

// chromium finds Debian's headless browser; .ci/run installs it, and the
// test is skipped only where it is absent.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium: apt-get install chromium")
	return ""
}

// TestPageInBrowser opens index.html from disk in headless Chromium with
// every network request sent to a closed port, lets the page pick a
// country in the timeline as a reader would (#selftest), and reads back
// what happened: more lines drawn, a value shown on hover, no error.
func TestPageInBrowser(t *testing.T) {
	bin := chromium(t)
	db := fixtureDB(t, geoip.NewLocator(nil))
	out := t.TempDir()
	if _, err := Run(context.Background(), db.DB, Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	page, _ := filepath.Abs(filepath.Join(out, "index.html"))
	m, dom := selfTest(t, bin, page, "#selftest")
	var got struct {
		Before, After int
		Picked, Tip   string
		Errors        []string
	}
	if err := json.Unmarshal(m, &got); err != nil {
		t.Fatalf("%v: %s", err, m)
	}
	t.Logf("self-test: %s", m)
	if len(got.Errors) > 0 {
		t.Errorf("console errors: %q", got.Errors)
	}
	if got.Picked == "" || got.After != got.Before+1 {
		t.Errorf("picking %q drew %d lines, was %d", got.Picked, got.After, got.Before)
	}
	// the picker shows each line's colour: a swatch per country, in the
	// colour of the first country's line
	if n := strings.Count(string(dom), `class="swatch"`); n == 0 || !strings.Contains(string(dom), `stroke="#0072b2"`) {
		t.Errorf("the picker shows %d colour swatches, none in the first line's colour", n)
	}
	if !strings.Contains(got.Tip, "2026-") {
		t.Errorf("hovering shows %q, want a day and its values", got.Tip)
	}
}

// selfTest opens page#hash in headless Chromium with every network
// request sent to a closed port and returns what the page's self-test
// wrote into it, and the whole DOM after it ran.
func selfTest(t *testing.T, bin, page, hash string) (result, dom []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-default-apps",
		// the network is off: every request would go to a closed local port
		"--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--user-data-dir="+t.TempDir(),
		"--virtual-time-budget=5000", "--dump-dom",
		"file://"+page+hash)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	m := regexp.MustCompile(`(?s)<pre id="selftest">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the page's self-test did not run; DOM:\n%.2000s", dom)
	}
	return []byte(html.UnescapeString(string(m[1]))), dom
}

// shown is what the page's range control shows.
type shown struct {
	From, To                       string
	Attempts, Addresses, Usernames *int64
	Countries, ASNs                int64
	TopCountry                     string `json:"top_country"`
	TopCountryN                    int64  `json:"top_country_n"`
}

// TestPageRangeInBrowser picks a range of days and then a preset in the
// page as a reader would (#selftest-range) and checks what it shows
// against SQL over the same days.
func TestPageRangeInBrowser(t *testing.T) {
	bin := chromium(t)
	db := fixtureDB(t, geoip.NewLocator(nil))
	out := t.TempDir()
	if _, err := Run(context.Background(), db.DB, Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	page, _ := filepath.Abs(filepath.Join(out, "index.html"))
	m, _ := selfTest(t, bin, page, "#selftest-range&from=2026-01-05&to=2026-01-11&preset=7")
	t.Logf("self-test: %s", m)
	var got struct {
		Errors        []string
		Range, Preset shown
		Bars, Rows    int
		Coloured      int
	}
	if err := json.Unmarshal(m, &got); err != nil {
		t.Fatalf("%v: %s", err, m)
	}
	if len(got.Errors) > 0 {
		t.Errorf("console errors: %q", got.Errors)
	}
	var last time.Time
	if err := db.DB.QueryRow(`SELECT max(ts) FROM failed_login_lines`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	lastDay := last.UTC().Truncate(24 * time.Hour)
	for _, c := range []struct {
		name     string
		got      shown
		from, to time.Time // days, both included
	}{
		{"5 to 11 Jan", got.Range, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 11, 0, 0, 0, 0, time.UTC)},
		{"last 7 days", got.Preset, lastDay.AddDate(0, 0, -6), lastDay},
	} {
		var want shown
		var top sql.NullString
		var topN sql.NullInt64
		var attempts, addresses, usernames int64
		err := db.DB.QueryRow(`
			WITH a AS (SELECT * FROM failed_login_lines_geo WHERE ts >= CAST($1 AS TIMESTAMPTZ) AND ts < CAST($2 AS TIMESTAMPTZ)),
			     c AS (SELECT country, sum(attempts) AS n FROM a WHERE country_code IS NOT NULL GROUP BY ALL ORDER BY n DESC, country LIMIT 1)
			SELECT CAST(coalesce(sum(attempts), 0) AS BIGINT), count(DISTINCT ip), count(DISTINCT username),
			       count(DISTINCT country_code), count(DISTINCT asn),
			       (SELECT country FROM c), (SELECT CAST(n AS BIGINT) FROM c)
			FROM a`, c.from.Format(time.RFC3339), c.to.AddDate(0, 0, 1).Format(time.RFC3339)).
			Scan(&attempts, &addresses, &usernames, &want.Countries, &want.ASNs, &top, &topN)
		if err != nil {
			t.Fatal(err)
		}
		want.From, want.To = c.from.Format(time.DateOnly), c.to.Format(time.DateOnly)
		want.Attempts, want.Addresses, want.Usernames = &attempts, &addresses, &usernames
		want.TopCountry, want.TopCountryN = top.String, topN.Int64
		if attempts == 0 {
			t.Fatalf("%s: no attempts in the fixture: the test tests nothing", c.name)
		}
		g, _ := json.Marshal(c.got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("%s: the page shows\n%s\nSQL says\n%s", c.name, g, w)
		}
	}
	if got.Bars != 7 || got.Rows == 0 || got.Coloured == 0 {
		t.Errorf("the range drew %d bars (want 7), %d usernames, %d countries on the map", got.Bars, got.Rows, got.Coloured)
	}
}

// TestPageWeeksInBrowser: over more than two years the page counts by
// the week, and a range of days picked in it shows the attempts of every
// week it touches, and says which days those are.
func TestPageWeeksInBrowser(t *testing.T) {
	bin := chromium(t)
	start := time.Date(2021, 1, 1, 10, 0, 0, 0, time.UTC)
	var lines []string
	for d := 0; d < 3*365; d += 2 {
		at := start.AddDate(0, 0, d).Add(time.Duration(d%7) * time.Hour)
		lines = append(lines, fmt.Sprintf("%s pi sshd[%d]: Failed password for user%d from 198.51.100.%d port %d ssh2",
			at.Format(time.RFC3339), 1000+d, d%5, d%200, 40000+d))
	}
	db := logDB(t, lines, nil)
	out := t.TempDir()
	if _, err := Run(context.Background(), db.DB, Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	page, _ := filepath.Abs(filepath.Join(out, "index.html"))
	// 2022-03-10 is a Thursday, as 1970-01-01 was: the weeks from it and
	// from 2022-03-17 hold the days picked
	m, _ := selfTest(t, bin, page, "#selftest-range&from=2022-03-10&to=2022-03-20&preset=7")
	t.Logf("self-test: %s", m)
	var got struct {
		Errors    []string
		Range     shown
		RangeNote string
		Bars      int
	}
	if err := json.Unmarshal(m, &got); err != nil {
		t.Fatalf("%v: %s", err, m)
	}
	if len(got.Errors) > 0 {
		t.Errorf("console errors: %q", got.Errors)
	}
	var attempts, addresses, usernames int64
	if err := db.DB.QueryRow(`SELECT CAST(coalesce(sum(attempts), 0) AS BIGINT), count(DISTINCT ip), count(DISTINCT username)
		FROM failed_login_lines WHERE ts >= '2022-03-10T00:00:00Z' AND ts < '2022-03-24T00:00:00Z'`).Scan(&attempts, &addresses, &usernames); err != nil {
		t.Fatal(err)
	}
	if attempts == 0 {
		t.Fatal("no attempts in the weeks picked: the test tests nothing")
	}
	if g := got.Range; g.Attempts == nil || *g.Attempts != attempts || g.Addresses == nil || *g.Addresses != addresses ||
		g.Usernames == nil || *g.Usernames != usernames {
		b, _ := json.Marshal(g)
		t.Errorf("the page shows %s for the weeks picked, SQL says %d attempts, %d addresses, %d usernames", b, attempts, addresses, usernames)
	}
	if want := "Counted by the week: from 2022-03-10 to 2022-03-23."; got.RangeNote != want || got.Bars != 2 {
		t.Errorf("the range drew %d bars (want 2) and says %q, want %q", got.Bars, got.RangeNote, want)
	}
}
