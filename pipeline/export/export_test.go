//go:build duckdb_arrow

package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

var hostileUsers = []string{"=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tx", "root", "o'brien",
	"|calc", " =1+1", "  @SUM(A1)", "\u00a0-2", "\u3000+1", "x=1"}

// formulas are the hostile usernames a spreadsheet would run.
var formulas = []string{"=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tx",
	"|calc", " =1+1", "  @SUM(A1)", "\u00a0-2", "\u3000+1"}

// fixture loads failed logins spread over three months of 2026.
func fixture(t *testing.T) *store.DB {
	t.Helper()
	var lines []string
	for i := range 300 {
		month := []string{"Jan", "Feb", "Mar"}[i%3]
		user := hostileUsers[i%len(hostileUsers)]
		lines = append(lines, fmt.Sprintf("%s %2d 10:%02d:%02d pi sshd[%d]: Failed password for invalid user %s from 203.0.113.%d port %d ssh2",
			month, 1+i%28, i/60%60, i%60, 1000+i, user, i%250, 2000+i))
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// the lines' months go Jan, Feb, Mar, Jan …, which year inference
	// would read as years passing: load each month as a file of its own
	for _, m := range []string{"Jan", "Feb", "Mar"} {
		var part []string
		for _, l := range lines {
			if strings.HasPrefix(l, m) {
				part = append(part, l)
			}
		}
		p := filepath.Join(t.TempDir(), m+".log")
		os.WriteFile(p, []byte(strings.Join(part, "\n")+"\n"), 0o644)
		s, errs := input.Expand([]string{p}, nil, time.Now())
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if _, err := ingest.Ingest(context.Background(), "", s, ingest.Options{Into: db, Location: time.UTC, Year: 2026, Warn: &bytes.Buffer{}}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func count(t *testing.T, db *store.DB, q string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

const cols = "ts, host, username, ip, port, method, attempts"

// TestParquetRoundTrip: read_parquet over the export returns exactly the
// failed_logins rows, after one run, after a second, and after a partial
// re-run with --since.
func TestParquetRoundTrip(t *testing.T) {
	db := fixture(t)
	out := t.TempDir()
	read := fmt.Sprintf("read_parquet('%s/**/*.parquet', hive_partitioning=true)", out)
	check := func(when string) {
		t.Helper()
		total := count(t, db, "SELECT count(*) FROM failed_login_lines")
		if n := count(t, db, "SELECT count(*) FROM "+read); n != total || total != 300 {
			t.Errorf("%s: the export has %d rows, failed_login_lines %d", when, n, total)
		}
		for _, q := range []string{
			"SELECT count(*) FROM (SELECT " + cols + " FROM failed_login_lines EXCEPT ALL SELECT " + cols + " FROM " + read + ")",
			"SELECT count(*) FROM (SELECT " + cols + " FROM " + read + " EXCEPT ALL SELECT " + cols + " FROM failed_login_lines)",
		} {
			if n := count(t, db, q); n != 0 {
				t.Errorf("%s: %d rows differ", when, n)
			}
		}
		if n := count(t, db, "SELECT count(*) FROM "+read+" WHERE year <> 2026 OR month NOT IN (1, 2, 3) OR month <> month(ts AT TIME ZONE 'UTC')"); n != 0 {
			t.Errorf("%s: %d rows in the wrong partition", when, n)
		}
	}
	st, err := Run(context.Background(), db.DB, Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 300 || len(st.Partitions) != 3 {
		t.Errorf("first export: %+v", st)
	}
	check("first export")
	if _, err := Run(context.Background(), db.DB, Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	check("second export")
	jan, _ := os.ReadDir(filepath.Join(out, "year=2026", "month=1"))
	st, err = Run(context.Background(), db.DB, Options{Out: out, Since: time.Date(2026, 2, 14, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(st.Partitions, " ") != filepath.Join("year=2026", "month=2")+" "+filepath.Join("year=2026", "month=3") {
		t.Errorf("--since mid-February rewrote %v; want February (whole) and March", st.Partitions)
	}
	check("export since February")
	jan2, _ := os.ReadDir(filepath.Join(out, "year=2026", "month=1"))
	if len(jan) != len(jan2) || len(jan) == 0 {
		t.Error("January was touched by an export since February")
	}
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".export-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}

	// an export killed half way left its work folders, in out and beside
	// it, with a month in each that read_parquet('out/**') would count
	// twice; the next export removes them
	for _, d := range []string{filepath.Join(out, ".export-123"), filepath.Join(filepath.Dir(out), ".knockmap-export-"+filepath.Base(out)+"-456")} {
		part := filepath.Join(d, "new", "year=2026", "month=1")
		os.MkdirAll(part, 0o755)
		src, _ := os.ReadFile(filepath.Join(out, "year=2026", "month=1", jan[0].Name()))
		os.WriteFile(filepath.Join(part, jan[0].Name()), src, 0o644)
	}
	if _, err := Run(context.Background(), db.DB, Options{Out: out, Since: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	check("export after an interrupted one")
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".knockmap-export-*"))
	if inside, _ := filepath.Glob(filepath.Join(out, ".export-*")); len(left)+len(inside) > 0 {
		t.Errorf("work folders left: %q %q", left, inside)
	}
}

// TestCSVNeutralised: usernames and GeoIP names that a spreadsheet would
// run as formulas (= + - @ |, also after leading whitespace) arrive as
// text, the rest as they are, and the export's CSV has each text cell as
// knockmap query --format csv (store.Print) has it.
func TestCSVNeutralised(t *testing.T) {
	db := fixture(t)
	geo := []string{"=cmd|' /C calc'!A0", " +1", "\u00a0@x", "|calc", "Côte d'Ivoire"}
	for i, name := range geo {
		if _, err := db.Exec(`INSERT INTO ip_geo (ip, scope, country_code, country, region, city, as_org, enriched_at)
			VALUES (?, 'public', ?, ?, ?, ?, ?, now())`, fmt.Sprintf("203.0.113.%d", i), name, name, name, name, name); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	if _, err := Run(context.Background(), db.DB, Options{Out: out, Format: "csv"}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "year=*", "month=*", "*.csv"))
	if len(files) != 3 {
		t.Fatalf("%d CSV files", len(files))
	}
	text := []string{"host", "username", "ip", "method", "country_code", "country", "region", "city", "as_org"}
	exported := map[string]bool{}
	var rows []string
	for _, f := range files {
		b, _ := os.ReadFile(f)
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		at := map[string]int{}
		for i, h := range recs[0] {
			at[h] = i
		}
		for _, r := range recs[1:] {
			var cells []string
			for _, c := range text {
				cells = append(cells, r[at[c]])
				exported[r[at[c]]] = true
			}
			rows = append(rows, strings.Join(cells, "\x00"))
		}
	}
	if len(rows) != 300 {
		t.Errorf("%d CSV rows, want 300", len(rows))
	}
	neutral := func(s string) string {
		if slices.Contains(formulas, s) || slices.Contains(geo[:4], s) {
			return "'" + s
		}
		return s
	}
	for _, s := range append(slices.Clone(hostileUsers), geo...) {
		if !exported[neutral(s)] || exported[s] && neutral(s) != s {
			t.Errorf("%q is not exported as %q", s, neutral(s))
		}
	}
	var printed bytes.Buffer
	if err := db.Print(context.Background(), &printed, "SELECT "+strings.Join(text, ", ")+" FROM failed_logins_geo", "csv"); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&printed).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var queried []string
	for _, r := range recs[1:] {
		queried = append(queried, strings.Join(r, "\x00"))
	}
	slices.Sort(rows)
	slices.Sort(queried)
	if !slices.Equal(rows, queried) {
		for i := range min(len(rows), len(queried)) {
			if rows[i] != queried[i] {
				t.Errorf("export CSV and query CSV differ: %q against %q", rows[i], queried[i])
				break
			}
		}
		t.Errorf("the export's CSV (%d rows) and knockmap query's (%d) do not agree", len(rows), len(queried))
	}
}

func TestJSONAndBadFormat(t *testing.T) {
	db := fixture(t)
	out := t.TempDir()
	st, err := Run(context.Background(), db.DB, Options{Out: out, Format: "json"})
	if err != nil || st.Rows != 300 {
		t.Fatalf("%+v %v", st, err)
	}
	if n := count(t, db, fmt.Sprintf("SELECT count(*) FROM read_json_auto('%s/**/*.json')", out)); n != 300 {
		t.Errorf("JSON export reads back %d rows", n)
	}
	if _, err := Run(context.Background(), db.DB, Options{Out: out, Format: "xlsx"}); err == nil {
		t.Error("an unknown format was accepted")
	}
}

// TestExportPlantedLinks: links another user planted in and beside the
// export folder are not followed: a year folder that is a link is refused
// and nothing is written where it points; a month folder that is a link is
// replaced by the new month and what it pointed to is left as it was; a
// link at a work folder's name is removed, not its target's contents.
// Whatever the umask, the files are 0640 and the folders 0750.
func TestExportPlantedLinks(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0))
	db := fixture(t)
	keep := func(t *testing.T) string {
		dir := filepath.Join(t.TempDir(), "victim")
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "keep"), []byte("keep"), 0o644)
		return dir
	}
	untouched := func(t *testing.T, name, dir string) {
		entries, _ := os.ReadDir(dir)
		b, _ := os.ReadFile(filepath.Join(dir, "keep"))
		if len(entries) != 1 || string(b) != "keep" {
			t.Errorf("%s: the link's target was written: %d entries, keep holds %q", name, len(entries), b)
		}
	}
	for _, c := range []struct {
		name  string
		plant string // relative to the export folder
		ok    bool
	}{
		{"link at year=2026", "year=2026", false},
		{"link at year=2026/month=2", "year=2026/month=2", true},
		{"link at a work folder", "../.knockmap-export-out-123", true},
	} {
		out := filepath.Join(t.TempDir(), "out")
		victim := keep(t)
		at := filepath.Join(out, c.plant)
		os.MkdirAll(filepath.Dir(at), 0o750)
		if err := os.Symlink(victim, at); err != nil {
			t.Fatal(err)
		}
		_, err := Run(context.Background(), db.DB, Options{Out: out})
		if (err == nil) != c.ok {
			t.Errorf("%s: export error %v, want ok %v", c.name, err, c.ok)
		}
		untouched(t, c.name, victim)
		if !c.ok {
			continue
		}
		filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
			if err != nil || path == out || d.Name() == ".knockmap-export.lock" {
				return err
			}
			fi, _ := os.Lstat(path)
			if want := map[bool]os.FileMode{true: os.ModeDir | 0o750, false: 0o640}[d.IsDir()]; fi.Mode() != want {
				t.Errorf("%s: %s is %v, want %v", c.name, path, fi.Mode(), want)
			}
			return nil
		})
		if n := count(t, db, fmt.Sprintf("SELECT count(*) FROM read_parquet('%s/**/*.parquet')", out)); n != 300 {
			t.Errorf("%s: the export holds %d rows, want 300", c.name, n)
		}
	}
}
