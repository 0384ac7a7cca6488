// Package sqlfiles holds knockmap's SQL as files a user can read and run by
// hand: the numbered schema migrations (NNNN_name.sql) and the statements
// the stages run, embedded into the binary.
package sqlfiles

import (
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed *.sql ingest/*.sql enrich/*.sql report/*.sql export/*.sql queries/*.sql store/*.sql logins/*.sql status/*.sql campaign/*.sql blocklist/*.sql
var files embed.FS

// Migration is one numbered schema file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the numbered schema files in order.
func Migrations() ([]Migration, error) {
	ents, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(n, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sql/%s: a migration's name starts with its number, like 0001_name.sql", n)
		}
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: n, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := range out {
		if out[i].Version != i+1 {
			return nil, fmt.Errorf("sql/%s: migrations are numbered 1, 2, 3 … with none missing", out[i].Name)
		}
	}
	return out, nil
}

// Statement returns the SQL of a statement file, e.g. "ingest/insert_events".
func Statement(name string) string {
	b, err := files.ReadFile(path.Clean(name) + ".sql")
	if err != nil {
		panic(fmt.Sprintf("sqlfiles: no statement %q: %v", name, err))
	}
	return string(b)
}

// Split cuts a file of several statements, each ending in a semicolon at
// the end of its line, into one statement each, for a driver that runs
// one at a time (DuckDB's binds parameters in a single statement only).
func Split(file string) []string {
	var out []string
	for _, s := range strings.Split(file, ";\n") {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// NamedQuery is a query from sql/queries that `knockmap query NAME` runs.
type NamedQuery struct {
	Name        string
	Description string // its first comment line
	SQL         string
	Params      map[string]string // "-- param: name = default" lines: $name in the SQL
	Order       []string          // the parameters in the order declared
}

// BadValues returns, for each parameter in set whose default is a whole
// number, a message when the value given is not one ("--param limit=abc:
// limit takes a whole number, like its default 20").
func (q NamedQuery) BadValues(set map[string]string) []string {
	var out []string
	for _, name := range q.Order {
		v, given := set[name]
		def := q.Params[name]
		if !given {
			continue
		}
		if _, err := strconv.ParseInt(def, 10, 64); err != nil {
			continue // not a number by default: any text goes
		}
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			out = append(out, fmt.Sprintf("--param %s=%s: %s takes a whole number, like its default %s", name, v, name, def))
		}
	}
	return out
}

// Args binds the query's parameters: each takes its value from set, else
// its default. A name in set that the query does not declare is ignored
// here; see Unknown.
func (q NamedQuery) Args(set map[string]string) []any {
	args := make([]any, 0, len(q.Order))
	for _, k := range q.Order {
		v, ok := set[k]
		if !ok {
			v = q.Params[k]
		}
		args = append(args, sql.Named(k, v))
	}
	return args
}

// Unknown returns the names in set that the query does not declare.
func (q NamedQuery) Unknown(set map[string]string) []string {
	var out []string
	for k := range set {
		if _, ok := q.Params[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Queries lists the named queries, by name.
func Queries() ([]NamedQuery, error) {
	ents, err := fs.ReadDir(files, "queries")
	if err != nil {
		return nil, err
	}
	var out []NamedQuery
	for _, e := range ents {
		if name, ok := strings.CutSuffix(e.Name(), ".sql"); ok {
			q, err := Query(name)
			if err != nil {
				return nil, err
			}
			out = append(out, q)
		}
	}
	return out, nil
}

// Query returns a named query from sql/queries, e.g. "top_usernames".
func Query(name string) (NamedQuery, error) {
	b, err := files.ReadFile("queries/" + path.Base(name) + ".sql")
	if err != nil {
		return NamedQuery{}, fmt.Errorf("no query named %q in sql/queries", name)
	}
	q := NamedQuery{Name: name, SQL: string(b), Params: map[string]string{}}
	for _, line := range strings.Split(q.SQL, "\n") {
		c, ok := strings.CutPrefix(strings.TrimSpace(line), "--")
		if !ok {
			break
		}
		c = strings.TrimSpace(c)
		if p, ok := strings.CutPrefix(c, "param:"); ok {
			k, v, _ := strings.Cut(p, "=")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			q.Params[k] = v
			q.Order = append(q.Order, k)
		} else if len(q.Order) == 0 && c != "" {
			q.Description = strings.TrimSpace(q.Description + " " + c)
		}
	}
	return q, nil
}
