package store

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/knockmap/knockmap/sql"
)

func TestSpreadsheet(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool // neutralised
	}{
		{"", false},
		{"root", false},
		{"o'brien", false},
		{"a=b", false},
		{"5", false},
		{"=1+1", true},
		{"+1", true},
		{"-2", true},
		{"@SUM(A1)", true},
		{"|calc", true},
		{"\tx", true},
		{"\rx", true},
		{" =1+1", true},
		{"   +cmd", true},
		{"\n-2", true},
		{"\v@x", true},
		{"\f|x", true},
		{"\u00a0=1", true},
		{"\u3000=1", true},
		{"\u2028=1", true},
		{"\u0085=1", true},
		{" |cmd", true},
		{" x=1", false},
		{"   ", false},
		{"\u200b=1", false}, // a zero-width space is not whitespace, and no spreadsheet skips it
	} {
		got := Spreadsheet(c.in)
		if neutral := got != c.in; neutral != c.want || neutral && got != "'"+c.in {
			t.Errorf("Spreadsheet(%q) = %q", c.in, got)
		}
	}
}

// TestSpreadsheetPattern: the CSV export's SQL, run by DuckDB, neutralises
// exactly the cells Spreadsheet does. Every code point is tried as the
// leading character before a formula and before plain text, and each of
// = + - @ | alone, after a space and a tab, and after a letter; the SQL
// file uses SpreadsheetPattern for each of its text columns.
func TestSpreadsheetPattern(t *testing.T) {
	re := regexp.MustCompile(SpreadsheetPattern)
	db, _ := openTemp(t, Options{})
	for _, after := range []string{"=", "x"} {
		var want []int64
		for r := rune(1); r <= utf8.MaxRune; r++ {
			if !utf8.ValidRune(r) {
				continue
			}
			c := string(r) + after
			neutral := Spreadsheet(c) != c
			if re.MatchString(c) != neutral {
				t.Errorf("%q: Spreadsheet says %v, SpreadsheetPattern in Go the opposite", c, neutral)
			}
			if neutral {
				want = append(want, int64(r))
			}
		}
		rows, err := db.Query(`SELECT i FROM range(1, 1114112) AS t(i)
			WHERE (i < 55296 OR i > 57343) AND regexp_matches(chr(CAST(i AS INTEGER)) || $1, '`+SpreadsheetPattern+`')
			ORDER BY i`, after)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for rows.Next() {
			var i int64
			rows.Scan(&i)
			got = append(got, i)
		}
		rows.Close()
		if !slices.Equal(got, want) {
			t.Errorf("before %q DuckDB neutralises after the code points %x, Spreadsheet after %x", after, got, want)
		}
		if after == "=" && len(want) < 25 {
			t.Errorf("only %d leading characters neutralised before =", len(want))
		}
	}
	for _, f := range formulaStarts {
		for _, c := range []string{string(f), " " + string(f), "\t " + string(f), "x" + string(f)} {
			var m bool
			if err := db.QueryRow(`SELECT regexp_matches($1, '`+SpreadsheetPattern+`')`, c).Scan(&m); err != nil {
				t.Fatal(err)
			}
			if m != (Spreadsheet(c) != c) {
				t.Errorf("%q: DuckDB says %v, Spreadsheet the opposite", c, m)
			}
		}
	}
	export := sqlfiles.Statement("export/failed_logins_csv")
	for _, col := range []string{"host", "username", "ip", "method", "country_code", "country", "region", "city", "as_org"} {
		want := "CASE WHEN regexp_matches(" + col + ", '" + SpreadsheetPattern + "') THEN '''' || " + col + " ELSE " + col + " END AS " + col
		if !strings.Contains(export, want) {
			t.Errorf("sql/export/failed_logins_csv.sql does not neutralise %s with SpreadsheetPattern", col)
		}
	}
}
