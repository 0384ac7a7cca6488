package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func openTemp(t *testing.T, opt Options) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "k.duckdb")
	db, err := Open(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// awkward is a result with the values that break naive output: a NULL, a
// comma, quotes, a newline, a terminal escape, a tab, a carriage return,
// HTML, and text that is not ASCII.
const awkward = `SELECT * FROM (VALUES
	(1, NULL, 'plain'),
	(2, 'a,b', 'say "hi"'),
	(3, 'line1' || chr(10) || 'line2', chr(27) || '[31mred' || chr(27) || '[0m'),
	(4, '<script>alert(1)</script>', ''),
	(5, 'tab' || chr(9) || 'cr' || chr(13), 'naïve ✓')
) AS t(id, name, note) ORDER BY id`

// awkwardRows are its rows as text, NULL as nil.
var awkwardRows = [][]any{
	{"1", nil, "plain"},
	{"2", "a,b", `say "hi"`},
	{"3", "line1\nline2", "\x1b[31mred\x1b[0m"},
	{"4", "<script>alert(1)</script>", ""},
	{"5", "tab\tcr\r", "naïve ✓"},
}

func printQuery(t *testing.T, db *DB, query, format string) string {
	t.Helper()
	var b bytes.Buffer
	if err := db.Print(context.Background(), &b, query, format); err != nil {
		t.Fatalf("Print(%s): %v", format, err)
	}
	return b.String()
}

func TestPrintCSV(t *testing.T) {
	db, _ := openTemp(t, Options{})
	out := printQuery(t, db, awkward, "csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, out)
	}
	want := [][]string{{"id", "name", "note"}}
	for _, r := range awkwardRows {
		row := make([]string, len(r))
		for i, v := range r {
			if v != nil {
				row[i] = v.(string)
			} // NULL is an empty field
		}
		want = append(want, row)
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("CSV read back:\n got %q\nwant %q\noutput:\n%s", recs, want, out)
	}
	for _, s := range []string{`"a,b"`, `"say ""hi"""`, "\"line1\nline2\""} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks the quoted field %q:\n%s", s, out)
		}
	}
}

func TestPrintJSON(t *testing.T) {
	db, _ := openTemp(t, Options{})
	out := printQuery(t, db, awkward, "json")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(awkwardRows) {
		t.Fatalf("%d lines, want one object per row (%d):\n%s", len(lines), len(awkwardRows), out)
	}
	for i, line := range lines {
		var got map[string]any
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		want := map[string]any{"id": json.Number(awkwardRows[i][0].(string)), "name": awkwardRows[i][1], "note": awkwardRows[i][2]}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("row %d:\n got %#v\nwant %#v", i+1, got, want)
		}
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Errorf("raw escape byte in the JSON output:\n%q", out)
	}
}

func TestPrintTable(t *testing.T) {
	db, _ := openTemp(t, Options{})
	for _, format := range []string{"table", ""} {
		out := printQuery(t, db, awkward, format)
		if strings.ContainsAny(out, "\x1b\r\t") {
			t.Errorf("format %q: a raw control character in the table:\n%q", format, out)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 1+len(awkwardRows) {
			t.Fatalf("format %q: %d lines, want a header and one line per row:\n%s", format, len(lines), out)
		}
		// columns are aligned: every value starts where its header does
		hdr := lines[0]
		nameAt, noteAt := strings.Index(hdr, "name"), strings.Index(hdr, "note")
		if !strings.HasPrefix(hdr, "id") || nameAt < 0 || noteAt < nameAt {
			t.Fatalf("header %q", hdr)
		}
		wantCells := [][3]string{
			{"1", "NULL", "plain"},
			{"2", "a,b", `say "hi"`},
			{"3", `line1\nline2`, `\x1b[31mred\x1b[0m`},
			{"4", "<script>alert(1)</script>", ""},
			{"5", `tab\tcr\r`, "naïve ✓"},
		}
		for i, w := range wantCells {
			line := []rune(lines[i+1])
			n, m := len([]rune(hdr[:nameAt])), len([]rune(hdr[:noteAt]))
			if len(line) < m {
				t.Errorf("row %d: %q is short", i+1, string(line))
				continue
			}
			got := [3]string{
				strings.TrimSpace(string(line[:n])),
				strings.TrimSpace(string(line[n:m])),
				strings.TrimSpace(string(line[m:])),
			}
			if got != w {
				t.Errorf("format %q row %d: cells %q, want %q", format, i+1, got, w)
			}
		}
	}
}

func TestTerminal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"naïve ✓ 日本", "naïve ✓ 日本"},
		{"<script>", "<script>"},
		{`back\slash "quote"`, `back\slash "quote"`},
		{"\x1b[31mred", `\x1b[31mred`},
		{"\x1b]0;title\x07", `\x1b]0;title\a`},
		{"a\rb", `a\rb`},
		{"a\tb", `a\tb`},
		{"a\nb", `a\nb`},
		{"nul\x00", `nul\x00`},
		{"del\x7f", `del\x7f`},
		{"csi\u009b31m", `csi\u009b31m`},
		{"bad \xff utf-8", `bad \xff utf-8`},
		{"line\u2028sep\u2029", `line\u2028sep\u2029`},
		{`esc \x1b "and" ` + "\x1b", `esc \\x1b \"and\" \x1b`},
	}
	for _, tt := range tests {
		got := Terminal(tt.in)
		if got != tt.want {
			t.Errorf("Terminal(%q) = %q, want %q", tt.in, got, tt.want)
		}
		for _, r := range got {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) {
				t.Errorf("Terminal(%q) = %q holds control character %U", tt.in, got, r)
			}
		}
	}
}

func TestPrintUnknownFormat(t *testing.T) {
	db, _ := openTemp(t, Options{})
	var b bytes.Buffer
	err := db.Print(context.Background(), &b, "SELECT 1", "xml")
	if err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("Print in format xml: %v, want an error naming it", err)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %q for an unknown format", b.String())
	}
}

func TestPrintBadQuery(t *testing.T) {
	db, _ := openTemp(t, Options{})
	for _, q := range []string{"SELEC 1", "SELECT * FROM no_such_table", ""} {
		var b bytes.Buffer
		if err := db.Print(context.Background(), &b, q, "table"); err == nil {
			t.Errorf("Print(%q): no error, output %q", q, b.String())
		}
	}
}

func TestPrintNoRows(t *testing.T) {
	db, _ := openTemp(t, Options{})
	q := "SELECT 1 AS a, 'x' AS b WHERE false"
	if got := printQuery(t, db, q, "csv"); got != "a,b\n" {
		t.Errorf("csv: %q, want the header only", got)
	}
	if got := printQuery(t, db, q, "json"); got != "" {
		t.Errorf("json: %q, want nothing", got)
	}
	if got := strings.Fields(printQuery(t, db, q, "table")); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("table: %q, want the header only", got)
	}
}

// TestPrintTypes prints the common types of query results and checks that
// each is written as its value (sum() of integers is a HUGEINT).
func TestPrintTypes(t *testing.T) {
	db, _ := openTemp(t, Options{})
	q := `SELECT sum(x) AS total, 0.25::DOUBLE AS f, TIMESTAMPTZ '2024-01-15 10:23:45.5+00' AS ts,
		DATE '2024-02-29' AS d, true AS b, 'bytes'::BLOB AS blob, 9223372036854775807 AS big, -7::TINYINT AS small
		FROM (VALUES (1), (2)) AS t(x)`
	recs, err := csv.NewReader(strings.NewReader(printQuery(t, db, q, "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantCSV := [][]string{
		{"total", "f", "ts", "d", "b", "blob", "big", "small"},
		{"3", "0.25", "2024-01-15T10:23:45.5Z", "2024-02-29", "true", "bytes", "9223372036854775807", "-7"},
	}
	if !reflect.DeepEqual(recs, wantCSV) {
		t.Errorf("csv:\n got %q\nwant %q", recs, wantCSV)
	}

	got := decodeOne(t, printQuery(t, db, q, "json"))
	want := map[string]any{
		"total": json.Number("3"),
		"f":     json.Number("0.25"),
		"ts":    "2024-01-15T10:23:45.5Z",
		"d":     "2024-02-29",
		"b":     true,
		"blob":  "bytes",
		"big":   json.Number("9223372036854775807"),
		"small": json.Number("-7"),
	}
	for k, w := range want {
		if g := got[k]; !sameJSON(g, w) {
			t.Errorf("json %s = %#v, want %#v", k, g, w)
		}
	}
}

func decodeOne(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
	return m
}

// sameJSON: equal, or a number written as a string (to keep its digits).
func sameJSON(got, want any) bool {
	if n, ok := want.(json.Number); ok && got == string(n) {
		return true
	}
	return reflect.DeepEqual(got, want)
}

// TestPrintDuckDBTypes prints values of DuckDB types that the driver hands
// back as its own Go types (duckdb.Decimal, duckdb.Interval, a UUID's 16
// bytes, a TIME as a time.Time in year 1), and expects DuckDB's own text for
// each, as CAST(… AS VARCHAR) gives it, or a JSON number for a decimal.
// max(ts) - min(ts) over failed_logins is an INTERVAL; 1.5 is a DECIMAL.
func TestPrintDuckDBTypes(t *testing.T) {
	db, _ := openTemp(t, Options{})
	for _, expr := range []string{
		"1.5",
		"12.345::DECIMAL(10,3)",
		"INTERVAL 90 MINUTE",
		"TIMESTAMPTZ '2024-01-15 12:00:00+00' - TIMESTAMPTZ '2024-01-15 10:29:59.5+00'",
		"'0b6e0fa8-e8e8-4c7e-9d5c-2a3b4c5d6e7f'::UUID",
		"TIME '10:23:45'",
	} {
		t.Run(expr, func(t *testing.T) {
			var text string
			if err := db.QueryRow("SELECT CAST((" + expr + ") AS VARCHAR)").Scan(&text); err != nil {
				t.Fatal(err)
			}
			q := "SELECT " + expr + " AS v"
			recs, err := csv.NewReader(strings.NewReader(printQuery(t, db, q, "csv"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 2 || recs[1][0] != text {
				t.Errorf("csv %q, want %q", recs, text)
			}
			if got := decodeOne(t, printQuery(t, db, q, "json"))["v"]; !sameJSON(got, json.Number(text)) {
				t.Errorf("json %#v, want %s", got, text)
			}
			out := printQuery(t, db, q, "table")
			if lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); len(lines) != 2 || strings.TrimSpace(lines[1]) != text {
				t.Errorf("table %q, want %q", out, text)
			}
		})
	}
}

func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "k.duckdb")

	// read-only does not create a database
	if db, err := Open(ctx, path, Options{ReadOnly: true}); err == nil {
		db.Close()
		t.Fatal("read-only Open of a missing database: no error")
	} else if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read-only Open left a file behind: %v", err)
	}

	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE kept (a INTEGER); INSERT INTO kept VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if !ro.ReadOnly || ro.Path != path {
		t.Errorf("DB %+v", ro)
	}
	for _, q := range []string{
		"INSERT INTO kept VALUES (1)",
		"DELETE FROM kept",
		"DROP TABLE kept",
		"CREATE TABLE more (a INTEGER)",
		"UPDATE kept SET a = 0",
	} {
		if _, err := ro.ExecContext(ctx, q); err == nil {
			t.Errorf("%s on a read-only database: no error", q)
		}
		var b bytes.Buffer
		if err := ro.Print(ctx, &b, q, "table"); err == nil {
			t.Errorf("Print(%s) on a read-only database: no error", q)
		}
	}
	if got := printQuery(t, ro, "SELECT a FROM kept", "csv"); got != "a\n42\n" {
		t.Errorf("after the refused writes: %q, want the row as it was", got)
	}
	v, err := ro.SchemaVersion(ctx)
	if err != nil || v < 1 {
		t.Errorf("SchemaVersion = %d, %v; want the migrations applied by the first Open", v, err)
	}
}

// TestTerminalBidi: a right-to-left override in a username cannot reorder
// what the terminal shows.
func TestTerminalBidi(t *testing.T) {
	got := Terminal("admin\u202egnp.exe")
	if strings.ContainsRune(got, '\u202e') || !strings.Contains(got, `\u202e`) {
		t.Errorf("Terminal kept the override: %q", got)
	}
}

// TestPrintJSONColumnOrder: each object's keys come in the query's column
// order, not sorted (a Go map sorted them).
func TestPrintJSONColumnOrder(t *testing.T) {
	db, _ := openTemp(t, Options{})
	out := printQuery(t, db, `SELECT 1 AS zeta, 'x' AS alpha, NULL AS "mid dle", [1, 2] AS beta`, "json")
	if want := `{"zeta":1,"alpha":"x","mid dle":null,"beta":"[1, 2]"}` + "\n"; out != want {
		t.Errorf("got %s want %s", out, want)
	}
}

// TestPrintRunsOnce: a query with columns that are cast for printing (an
// INTERVAL, a list) runs once, not once for its types and again cast: its
// nextval is taken once per row.
func TestPrintRunsOnce(t *testing.T) {
	db, _ := openTemp(t, Options{})
	if _, err := db.Exec(`CREATE SEQUENCE runs`); err != nil {
		t.Fatal(err)
	}
	q := `SELECT nextval('runs') AS n, INTERVAL 90 MINUTE AS i, [x, x + 1] AS l FROM (VALUES (1), (2)) AS t(x) ORDER BY n`
	recs, err := csv.NewReader(strings.NewReader(printQuery(t, db, q, "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"n", "i", "l"}, {"1", "01:30:00", "[1, 2]"}, {"2", "01:30:00", "[2, 3]"}}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("csv %q, want %q", recs, want)
	}
	var next int64
	if err := db.QueryRow(`SELECT nextval('runs')`).Scan(&next); err != nil || next != 3 {
		t.Errorf("the sequence's next value is %d (%v), want 3: the query ran more than once", next, err)
	}
}
