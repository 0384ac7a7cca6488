//go:build duckdb_arrow

package report

import (
	"context"
	"encoding/json"
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
		"file://"+page+"#selftest")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	m := regexp.MustCompile(`(?s)<pre id="selftest">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the page's self-test did not run; DOM:\n%.2000s", dom)
	}
	var got struct {
		Before, After int
		Picked, Tip   string
		Errors        []string
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
		t.Fatalf("%v: %s", err, m[1])
	}
	t.Logf("self-test: %s", m[1])
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
