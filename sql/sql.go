// Package sqlfiles holds knockmap's SQL as files a user can read and run by
// hand: the numbered schema migrations (NNNN_name.sql) and the statements
// the stages run, embedded into the binary.
package sqlfiles

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed *.sql ingest/*.sql enrich/*.sql report/*.sql queries/*.sql
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

// Query returns a named query from sql/queries, e.g. "top_usernames".
func Query(name string) (string, error) {
	b, err := files.ReadFile("queries/" + path.Base(name) + ".sql")
	if err != nil {
		return "", fmt.Errorf("no query named %q in sql/queries", name)
	}
	return string(b), nil
}
