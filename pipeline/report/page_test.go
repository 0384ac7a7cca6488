//go:build duckdb_arrow

package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/geoip"
)

// embeddedRange reads the date-range control's data back out of a page.
func embeddedRange(t *testing.T, page string) rangeData {
	t.Helper()
	m := regexp.MustCompile(`var R = (.*);\n`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page embeds no range data")
	}
	var rd rangeData
	if err := json.Unmarshal([]byte(m[1]), &rd); err != nil {
		t.Fatalf("the embedded range data: %v", err)
	}
	return rd
}

// TestPeriodChecked: a period that ends before it starts is refused with
// both ends named; an empty one gives a page that says so.
func TestPeriodChecked(t *testing.T) {
	db := fixtureDB(t, geoip.NewLocator(nil))
	jan := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name         string
		since, until time.Time
		err          []string // what the error names; nil: none
		page         string   // what the page says
	}{
		{"since after until", jan(20), jan(10), []string{"--since 2026-01-20T00:00:00Z", "--until 2026-01-10T00:00:00Z"}, ""},
		{"empty", jan(10), jan(10), nil, "No failed logins in this period"},
		{"nothing logged then", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), nil, "No failed logins in this period"},
		{"some", jan(10), jan(12), nil, `id="explore"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			_, err := Run(context.Background(), db.DB, Options{Out: out, Since: c.since, Until: c.until})
			if c.err != nil {
				if err == nil {
					t.Fatal("no error")
				}
				for _, s := range c.err {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not name %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			page, _ := os.ReadFile(filepath.Join(out, "index.html"))
			if !strings.Contains(string(page), c.page) {
				t.Errorf("the page lacks %q", c.page)
			}
		})
	}
}

// TestPageHostileUsername: a username that closes the script and breaks
// out of a JSON string stays inside the embedded data, as it was logged.
func TestPageHostileUsername(t *testing.T) {
	evil := `x</script><script>alert("1")</script>'"&\u2028`
	var lines []string
	for i := range 6 {
		u := "root"
		if i%2 == 0 {
			u = evil
		}
		lines = append(lines, fmt.Sprintf("Jan  %d 10:00:0%d pi sshd[%d]: Failed password for invalid user %s from 203.0.113.%d port %d ssh2", 1+i, i, 100+i, u, i, 40000+i))
	}
	db := logDB(t, lines, nil)
	out := t.TempDir()
	if _, err := Run(context.Background(), db.DB, Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "index.html"))
	page := string(b)
	for _, bad := range []string{"<script>alert", `alert("1")`, "</script><script>"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q as it was logged", bad)
		}
	}
	if n, want := strings.Count(page, "</script>"), strings.Count(page, "<script>"); n != want {
		t.Errorf("%d </script> for %d <script>", n, want)
	}
	rd := embeddedRange(t, page)
	found := false
	for _, l := range rd.Dims["u"].Labels {
		found = found || l == evil
	}
	if !found {
		t.Errorf("the usernames embedded are %q, want %q among them", rd.Dims["u"].Labels, evil)
	}
}

// TestPageRangeData: the embedded buckets add up to the totals, hours
// when the period is under three days, days otherwise.
func TestPageRangeData(t *testing.T) {
	day := func(d, h int) string {
		return fmt.Sprintf("Jan %2d %02d:10:00 pi sshd[%d]: Failed password for root from 198.51.100.%d port %d ssh2", d, h, 100+d*24+h, d, 40000+h)
	}
	at := func(ts string, i int) string {
		return fmt.Sprintf("%s pi sshd[%d]: Failed password for root from 198.51.100.%d port %d ssh2", ts, 200+i, i, 41000+i)
	}
	for _, c := range []struct {
		name  string
		lines []string
		step  int64
		n     int
	}{
		{"two days", []string{day(1, 3), day(1, 3), day(2, 23)}, 3600, 45},
		{"ten days", []string{day(1, 3), day(5, 1), day(10, 23)}, 86400, 10},
		// over two years (weeklyAfter): weeks since 1970-01-01, from the
		// week of 2021-01-01 (number 2661, from 0) to that of 2023-06-30 (2791)
		{"thirty months", []string{at("2021-01-01T03:10:00Z", 1), at("2021-01-02T03:10:00Z", 2), at("2022-03-01T12:00:00Z", 3),
			at("2023-06-30T23:10:00Z", 4)}, weekSeconds, 2791 - 2661 + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := logDB(t, c.lines, nil)
			out := t.TempDir()
			res, err := Run(context.Background(), db.DB, Options{Out: out})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(filepath.Join(out, "index.html"))
			rd := embeddedRange(t, string(b))
			if rd.Step != c.step || rd.N != c.n {
				t.Errorf("%d buckets of %d s, want %d of %d", rd.N, rd.Step, c.n, c.step)
			}
			var sum int64
			for _, n := range rd.Tot {
				sum += n
			}
			var ports int64
			for _, row := range rd.Dims["p"].Rows {
				for i := 1; i < len(row); i += 2 {
					ports += row[i]
				}
			}
			if sum != res.Totals.Attempts || ports != res.Totals.Attempts {
				t.Errorf("the buckets add up to %d, the ports to %d; %d attempts", sum, ports, res.Totals.Attempts)
			}
			if unit := map[int64]string{3600: "hour", 86400: "day", weekSeconds: "week"}[c.step]; !strings.Contains(string(b), `"unit":"`+unit+`"`) {
				t.Errorf("the page's timeline is not by the %s", unit)
			}
			if len(rd.Sets["i"]) != int(res.Totals.Addresses) {
				t.Errorf("%d address sets for %d addresses", len(rd.Sets["i"]), res.Totals.Addresses)
			}
		})
	}
}

// TestPageTitlesOnce: no heading of the page repeats another or a
// picture's title (each picture draws its own).
func TestPageTitlesOnce(t *testing.T) {
	db := fixtureDB(t, geoip.NewLocator(nil))
	out := t.TempDir()
	if _, err := Run(context.Background(), db.DB, Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "index.html"))
	page := string(b)
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`<h[1-3][^>]*>([^<]*)</h[1-3]>`).FindAllStringSubmatch(page, -1) {
		if seen[m[1]] {
			t.Errorf("heading %q twice", m[1])
		}
		seen[m[1]] = true
	}
	span := spanOf(Totals{}, Options{Since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	maps, omitted := worldMaps(&Data{}, nil, span)
	titles := []string{}
	for _, p := range append(charts(&Data{}, span), maps...) {
		titles = append(titles, p.Title)
	}
	for _, o := range omitted {
		titles = append(titles, o.Title)
	}
	for _, title := range titles {
		if seen[title] {
			t.Errorf("picture %q has a heading too", title)
		}
	}
	if !regexp.MustCompile(`code \{[^}]*white-space: nowrap`).MatchString(page) {
		t.Error("inline code may break inside a word")
	}
}

// TestPageLoginsAlertFirst: in the page's table of logins, one that came
// after failed attempts comes before the owner's later logins that stand
// out only by a first time, and a key the user never used is named.
func TestPageLoginsAlertFirst(t *testing.T) {
	var lines []string
	for i := 0; i < 5; i++ {
		lines = append(lines, fmt.Sprintf("Jan 10 10:00:%02d h sshd[%d]: Failed password for root from 203.0.113.9 port 4000%d ssh2", i, 100+i, i))
	}
	lines = append(lines,
		"Jan 10 11:00:00 h sshd[200]: Accepted password for root from 203.0.113.9 port 40100 ssh2",
		"Jan 12 09:00:00 h sshd[300]: Accepted publickey for pi from 198.51.100.7 port 40200 ssh2: ED25519 SHA256:AAAAaaaaBBBBbbbbCCCCccccDDDDddddEEEEeeeeFFF",
		"Jan 13 09:00:00 h sshd[301]: Accepted publickey for pi from 198.51.100.7 port 40201 ssh2: ED25519 SHA256:AAAAaaaaBBBBbbbbCCCCccccDDDDddddEEEEeeeeFFF",
		"Jan 14 09:00:00 h sshd[302]: Accepted publickey for pi from 198.51.100.7 port 40202 ssh2: ED25519 SHA256:ZZZZaaaaBBBBbbbbCCCCccccDDDDddddEEEEeeeeFFF")
	db := logDB(t, lines, nil)
	conn, err := db.DB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var users, firsts []string
	err = queryPeriod(context.Background(), conn, "page_logins", periodOf(time.Time{}, time.Time{}), func(r *sql.Rows) error {
		cols, _ := r.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		users = append(users, fmt.Sprint(vals[1]))
		firsts = append(firsts, fmt.Sprint(vals[len(vals)-1]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(users) < 2 || users[0] != "root" {
		t.Errorf("the page lists the logins as %q, want root's (after failures) first, then pi's", users)
	}
	if !strings.Contains(strings.Join(firsts, ";"), "new key") {
		t.Errorf("no login is shown with a new key: %q", firsts)
	}
}

// TestPageCellsAndNetworksFromRows checks two of the page's statements
// against the rows themselves, over a period that leaves out the log's
// first days: the usernames' cells (the keepPerDim most tried, each day's
// sum) and the networks ranked, with each one's first and last attempt.
func TestPageCellsAndNetworksFromRows(t *testing.T) {
	var lines []string
	pid := 100
	for i := range keepPerDim + 80 {
		for k := range i%5 + 1 {
			day, hour := 1+(i+k)%10, (i*7+k)%24
			pid++
			lines = append(lines, fmt.Sprintf("Jan %2d %02d:%02d:%02d pi sshd[%d]: Failed password for u%03d from 198.51.%d.%d port %d ssh2",
				day, hour, i%60, k, pid, i, i%30, k+i%3, 40000+pid))
		}
	}
	db := logDB(t, lines, nil)
	since := time.Date(2026, 1, 3, 12, 0, 0, 0, time.UTC)
	out := t.TempDir()
	if _, err := Run(context.Background(), db.DB, Options{Out: out, Since: since}); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	rd := embeddedRange(t, string(page))
	if rd.Step != 86400 {
		t.Fatalf("buckets of %d s, want days", rd.Step)
	}
	got := map[string]int64{}
	u := rd.Dims["u"]
	for i, row := range u.Rows {
		b := rd.First
		for j := 0; j+1 < len(row); j += 2 {
			b += row[j]
			got[fmt.Sprintf("%s %d", u.Labels[i], b)] = row[j+1]
		}
	}
	want := map[string]int64{}
	rows, err := db.Query(`WITH p AS (SELECT * FROM failed_login_lines WHERE ts >= $1),
		top AS (SELECT username FROM p GROUP BY username ORDER BY sum(attempts) DESC, username LIMIT $2)
		SELECT username, CAST(epoch(ts) AS BIGINT) // 86400 AS b, CAST(sum(attempts) AS BIGINT)
		FROM p WHERE username IN (SELECT username FROM top) GROUP BY ALL`, since, keepPerDim)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		var b, n int64
		rows.Scan(&name, &b, &n)
		want[fmt.Sprintf("%s %d", name, b)] = n
	}
	rows.Close()
	if len(u.Labels) != keepPerDim || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the page's username cells (%d usernames, %d cells) differ from the rows' (%d cells)", len(u.Labels), len(got), len(want))
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%s: %d, want %d", k, got[k], n)
				break
			}
		}
	}

	type network struct {
		name            string
		attempts, addrs int64
		first, last     time.Time
	}
	var gotNets, wantNets []network
	err = withAttempts(context.Background(), db.DB, periodOf(since, time.Time{}), func(at *attempts) error {
		return at.query(context.Background(), "page_networks", func(r *sql.Rows) error {
			var n network
			var country sql.NullString
			if err := r.Scan(&n.name, &n.attempts, &n.addrs, &country, &n.first, &n.last); err != nil {
				return err
			}
			gotNets = append(gotNets, n)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err = db.Query(`SELECT regexp_replace(ip, '\.[0-9]+$', '') || '.0/24' AS network, CAST(sum(attempts) AS BIGINT),
		count(DISTINCT ip), min(ts), max(ts)
		FROM failed_login_lines WHERE ts >= $1 GROUP BY network ORDER BY 2 DESC, network LIMIT 20`, since)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n network
		rows.Scan(&n.name, &n.attempts, &n.addrs, &n.first, &n.last)
		wantNets = append(wantNets, n)
	}
	rows.Close()
	if len(wantNets) != 20 || fmt.Sprint(gotNets) != fmt.Sprint(wantNets) {
		t.Errorf("networks ranked:\n%v\nwant\n%v", gotNets, wantNets)
	}
}
