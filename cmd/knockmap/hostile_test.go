//go:build duckdb_arrow

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/knockmap/knockmap/pipeline/store"
)

// hostileUsers are usernames an attacker can make sshd log (through the
// journal, whose JSON carries raw control characters): terminal escape
// sequences, a carriage return, a C1 control and a right-to-left
// override, HTML, a spreadsheet formula, and 10,000 bytes.
var hostileUsers = []string{
	"\x1b[2J\x1b]0;pwned\x07",
	"evil\rroot",
	"<script>alert(1)</script>",
	`=HYPERLINK("http://x","y")`,
	strings.Repeat("A", 10000),
	"\u009b31m\u202eevil",
}

// acting finds a character in s that would act on a terminal or page
// instead of showing: a control other than newline and tab, a bidi
// control, invalid UTF-8.
func acting(s string) (rune, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return r, true
		}
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
			return r, true
		}
	}
	return 0, false
}

// execute runs knockmap as main does and returns its standard output; an
// error fails the test.
func execute(t *testing.T, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	if err := runRoot(context.Background(), newRoot(), args, &out, &errs); err != nil {
		t.Fatalf("knockmap %s: %v\n%s", strings.Join(args, " "), err, errs.String())
	}
	return out.String()
}

// TestHostileUsernames follows the hostile usernames into the four places
// they end up: the database (exactly as logged), the terminal (shown as
// escapes), CSV (formulas neutralised, the rest exact) and HTML (escaped,
// no control or bidi character).
func TestHostileUsernames(t *testing.T) {
	dir := t.TempDir()
	var log bytes.Buffer
	for i, u := range hostileUsers {
		msg, _ := json.Marshal(fmt.Sprintf("Failed password for invalid user %s from 203.0.113.%d port 4242 ssh2", u, i+1))
		fmt.Fprintf(&log, `{"__REALTIME_TIMESTAMP":"17053142251%05d","_HOSTNAME":"pi","SYSLOG_IDENTIFIER":"sshd","_PID":"%d","MESSAGE":%s}`+"\n", i, 100+i, msg)
	}
	logPath := filepath.Join(dir, "journal.json")
	os.WriteFile(logPath, log.Bytes(), 0o644)
	db := filepath.Join(dir, "k.duckdb")
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("KNOCKMAP_GEOIP", "")
	execute(t, "ingest", "--db", db, "--no-enrich", logPath)
	want := slices.Sorted(slices.Values(hostileUsers))

	// the database: exactly as logged
	sdb, err := store.Open(context.Background(), db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	rows, err := sdb.Query(`SELECT username FROM failed_logins ORDER BY username`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var u string
		rows.Scan(&u)
		got = append(got, u)
	}
	rows.Close()
	sdb.Close()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("the database holds %q, want %q", got, want)
	}

	// files and pipes get the exact strings, CSV with formulas neutralised
	q := "SELECT username FROM failed_logins ORDER BY username"
	recs, err := csv.NewReader(strings.NewReader(execute(t, "query", "--db", db, "--format", "csv", q))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, r := range recs[1:] {
		got = append(got, r[0])
	}
	var wantCSV []string
	for _, u := range want {
		if u[0] == '=' {
			u = "'" + u
		}
		wantCSV = append(wantCSV, u)
	}
	slices.Sort(got)
	slices.Sort(wantCSV)
	if !slices.Equal(got, wantCSV) {
		t.Errorf("CSV holds %q, want %q", got, wantCSV)
	}
	for _, asJSON := range []string{execute(t, "query", "--db", db, "--format", "json", q), execute(t, "parse", logPath)} {
		got = nil
		dec := json.NewDecoder(strings.NewReader(asJSON))
		for {
			var obj map[string]any
			if err := dec.Decode(&obj); err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			u, _ := obj["username"].(string)
			if u == "" {
				u, _ = obj["user"].(string)
			}
			got = append(got, u)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("JSON holds %q, want %q", got, want)
		}
	}

	// a terminal gets them as text, whatever the format
	defer func(f func(io.Writer) bool) { isTerminal = f }(isTerminal)
	isTerminal = func(io.Writer) bool { return true }
	for _, args := range [][]string{
		{"query", "--db", db, q},
		{"query", "--db", db, "--format", "csv", q},
		{"query", "--db", db, "--format", "json", q},
		{"parse", logPath},
	} {
		out := execute(t, args...)
		if r, bad := acting(out); bad {
			t.Errorf("knockmap %s sends %U to the terminal", strings.Join(args[:len(args)-1], " "), r)
		}
		shown := []string{`\x1b[2J`, `evil\rroot`, `\u202e`, strings.Repeat("A", 10000)}
		if strings.Contains(strings.Join(args, " "), "json") || args[0] == "parse" {
			shown[0] = `\u001b[2J` // JSON's own escape
		}
		for _, s := range shown {
			if !strings.Contains(out, s) {
				t.Errorf("knockmap %s does not show %.20q", strings.Join(args[:len(args)-1], " "), s)
			}
		}
	}

	// the page: escaped, and no character that acts
	out := filepath.Join(dir, "report")
	execute(t, "report", "--db", db, "--out", out)
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	// the usernames are in the page's embedded data, escaped for a script
	if strings.Contains(html, "<script>alert") || !strings.Contains(html, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Error("the <script> username is not escaped in index.html")
	}
	if r, bad := acting(html); bad {
		t.Errorf("index.html holds %U", r)
	}
}

// TestErrorsInert: on a terminal, what knockmap writes to stderr goes
// through the same inert writer as its output: DuckDB's message quoting a
// username that holds escapes, a file name with escapes in a warning and
// in the final error. Through a pipe the bytes are kept as they are.
func TestErrorsInert(t *testing.T) {
	dir := t.TempDir()
	evil := "\x1b]0;pwned\x07"
	msg, _ := json.Marshal("Failed password for invalid user " + evil + " from 203.0.113.9 port 4242 ssh2")
	logPath := filepath.Join(dir, "journal.json")
	os.WriteFile(logPath, []byte(`{"__REALTIME_TIMESTAMP":"1705314225100000","_HOSTNAME":"pi","SYSLOG_IDENTIFIER":"sshd","_PID":"7","MESSAGE":`+string(msg)+"}\n"), 0o644)
	db := filepath.Join(dir, "k.duckdb")
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("KNOCKMAP_GEOIP", "")
	execute(t, "ingest", "--db", db, "--no-enrich", logPath)
	missing := filepath.Join(dir, "auth"+evil+".log")
	defer func(f func(io.Writer) bool) { isTerminal = f }(isTerminal)
	for _, terminal := range []bool{true, false} {
		isTerminal = func(io.Writer) bool { return terminal }
		for _, args := range [][]string{
			{"query", "--db", db, "SELECT username::INTEGER FROM events"},
			{"query", "--db", db, "SELECT error(username) FROM events"},
			{"ingest", "--db", db, "--no-enrich", missing},
			{"parse", missing},
			{"run", "--db", db, "--no-enrich", "--wait", "0s", missing},
		} {
			var out, errs bytes.Buffer
			if err := runRoot(context.Background(), newRoot(), args, &out, &errs); err == nil {
				t.Errorf("knockmap %s: no error", args[0])
			}
			got := errs.String()
			if !terminal {
				if !strings.Contains(got, evil) {
					t.Errorf("knockmap %s to a pipe: %q, want the bytes as they are", args[0], got)
				}
				continue
			}
			if r, bad := acting(got + out.String()); bad {
				t.Errorf("knockmap %s sends %U to the terminal: %q", args[0], r, got)
			}
			if !strings.Contains(got, `\x1b]0;pwned\a`) {
				t.Errorf("knockmap %s: stderr %q does not show the escapes", args[0], got)
			}
		}
	}
}

// TestOnlyRootTouchesStdio: no command writes to os.Stdout or os.Stderr
// itself, past the inert writers runRoot sets up; only main names them.
func TestOnlyRootTouchesStdio(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "main" && fn.Recv == nil {
				continue
			}
			ast.Inspect(d, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "os" && (sel.Sel.Name == "Stdout" || sel.Sel.Name == "Stderr") {
					t.Errorf("%s: os.%s: write to cmd.OutOrStdout() or cmd.ErrOrStderr()", fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
	}
}
