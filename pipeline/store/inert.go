package store

import (
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TerminalWriter passes what is written to w, with every character that
// would act on a terminal (escape sequences, carriage returns, other
// control characters, C1 controls, bidirectional overrides, invalid UTF-8)
// shown as a Go-style escape instead; newlines and tabs pass. Wrap standard
// output in it when it is a terminal and the output holds strings from the
// logs, which attackers wrote.
func TerminalWriter(w io.Writer) io.Writer { return &terminalWriter{w: w} }

type terminalWriter struct {
	w    io.Writer
	part []byte // the start of a character cut by the end of the last write
	buf  []byte
}

func (t *terminalWriter) Write(p []byte) (int, error) {
	n := len(p)
	if len(t.part) > 0 {
		p = append(t.part, p...)
		t.part = nil
	}
	t.buf = t.buf[:0]
	for len(p) > 0 {
		r, size := utf8.DecodeRune(p)
		if r == utf8.RuneError && size <= 1 && !utf8.FullRune(p) {
			t.part = append([]byte(nil), p...) // wait for the rest
			break
		}
		if r == '\n' || r == '\t' || (r != utf8.RuneError || size > 1) && !acts(r) {
			t.buf = append(t.buf, p[:size]...)
		} else if r == utf8.RuneError && size == 1 {
			t.buf = append(t.buf, `\x`...)
			t.buf = append(t.buf, "0123456789abcdef"[p[0]>>4], "0123456789abcdef"[p[0]&15])
		} else {
			q := strconv.QuoteRuneToASCII(r)
			t.buf = append(t.buf, q[1:len(q)-1]...)
		}
		p = p[size:]
	}
	if _, err := t.w.Write(t.buf); err != nil {
		return 0, err
	}
	return n, nil
}

// acts reports whether r does something on a terminal instead of showing.
func acts(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}

// Spreadsheet neutralises a text cell that a spreadsheet would run as a
// formula by putting an apostrophe before it, as OWASP advises for CSV
// files: one that begins with = + - @ | (| starts a DDE command), a tab or
// a carriage return, or with whitespace and then one of = + - @ |, since
// spreadsheets skip leading spaces before they look for a formula.
// Whitespace is what unicode.IsSpace says it is (no-break and ideographic
// spaces too). The CSV export does the same in SQL
// (sql/export/failed_logins_csv.sql, SpreadsheetPattern).
func Spreadsheet(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\t' || s[0] == '\r' {
		return "'" + s
	}
	if rest := strings.TrimLeftFunc(s, unicode.IsSpace); rest != "" && strings.IndexByte(formulaStarts, rest[0]) >= 0 {
		return "'" + s
	}
	return s
}

// formulaStarts are the characters a spreadsheet formula begins with.
const formulaStarts = "=+-@|"

// SpreadsheetPattern is Spreadsheet's rule as a regular expression (RE2,
// as DuckDB's regexp_matches reads it): the text cells of the CSV export
// that match get the apostrophe. [\t\n\v\f\r\x{85}\p{Z}] is the set of
// unicode.IsSpace. TestSpreadsheetPattern holds the two to each other.
const SpreadsheetPattern = `^[\t\r]|^[\t\n\v\f\r\x{85}\p{Z}]*[=+\-@|]`
