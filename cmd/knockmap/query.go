//go:build duckdb_arrow

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/store"
	"github.com/knockmap/knockmap/sql"
)

func newQuery(g *globals) *cobra.Command {
	var format string
	var list bool
	var params, allow []string
	c := &cobra.Command{
		Use:   "query [flags] [NAME | SQL]",
		Short: "Run a named query or SQL on the database, read-only, and print the result",
		Long: `query runs one of the named queries in sql/queries (knockmap query --list shows
them; --param name=value changes a parameter), or one SELECT, on the database without
changing it. The view failed_logins has one row per failed authentication attempt,
failed_logins_geo the same with where each address is, and events one row per
recognised sshd line. With no argument, the SQL is read from stdin.

The SQL can read the database and nothing else: DuckDB's access to files, the network
and extensions is off and its settings are locked, and a statement other than one
SELECT (COPY, ATTACH, EXPORT, INSTALL, SET, several statements) is refused before any
of it runs. --allow-files DIR lets it read the files in DIR, such as an export's
Parquet.`,
		Example: `  knockmap query --list
  knockmap query top_countries --param limit=5
  knockmap query "SELECT ip, count(*) AS n FROM failed_logins GROUP BY ip ORDER BY n DESC LIMIT 10"
  knockmap query --format csv "SELECT * FROM failed_logins" > failed.csv
  knockmap query --allow-files /srv/knockmap/parquet \
    "SELECT count(*) FROM read_parquet('/srv/knockmap/parquet/**/*.parquet')"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			if list {
				qs, err := sqlfiles.Queries()
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				for _, q := range qs {
					var ps []string
					for _, k := range q.Order {
						ps = append(ps, k+"="+q.Params[k])
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\n", q.Name, q.Description, strings.Join(ps, " "))
				}
				return tw.Flush()
			}
			set := map[string]string{}
			for _, p := range params {
				k, v, ok := strings.Cut(p, "=")
				if !ok || k == "" {
					return fmt.Errorf("--param %q: want name=value", p)
				}
				set[k] = v
			}
			var q string
			var qargs []any
			switch {
			case len(args) == 1 && isName(args[0]):
				nq, err := sqlfiles.Query(args[0])
				if err != nil {
					return fmt.Errorf("%w (knockmap query --list shows them)", err)
				}
				if u := nq.Unknown(set); len(u) > 0 {
					return fmt.Errorf("query %s has no parameter %s (it has: %s)", nq.Name, strings.Join(u, ", "), strings.Join(nq.Order, ", "))
				}
				if bad := nq.BadValues(set); len(bad) > 0 {
					return errors.New(strings.Join(bad, "; "))
				}
				q, qargs = nq.SQL, nq.Args(set)
			case len(set) > 0:
				return fmt.Errorf("--param is for named queries")
			case len(args) == 1:
				q = args[0]
			default:
				b, err := io.ReadAll(cmd.InOrStdin())
				if err != nil {
					return err
				}
				q = string(b)
			}
			if strings.TrimSpace(q) == "" {
				return fmt.Errorf("no SQL given")
			}
			opt := store.Options{Confined: true, AllowDirs: allow, MemoryLimit: queryFirstLimit}
			out := &counted{w: w}
			err := printQuery(cmd, g.dbPath(), opt, out, q, format, qargs)
			if err == nil || !strings.Contains(err.Error(), "Out of Memory Error") || out.n > 0 || os.Getenv("KNOCKMAP_MEMORY_LIMIT") != "" {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "knockmap: the query needs more than %s (DuckDB cannot spill some aggregates, such as ordered lists): running it again under DuckDB's own limit, 80%% of the memory (KNOCKMAP_MEMORY_LIMIT sets one)\n", orDefault(queryFirstLimit))
			opt.MemoryLimit, opt.OwnMemoryLimit = "", true
			return printQuery(cmd, g.dbPath(), opt, out, q, format, qargs)
		},
	}
	c.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	c.Flags().BoolVar(&list, "list", false, "list the named queries")
	c.Flags().StringArrayVar(&params, "param", nil, "name=value for a named query's parameter (repeatable)")
	c.Flags().StringArrayVar(&allow, "allow-files", nil, "a folder whose files the SQL may read, e.g. an export's Parquet (repeatable)")
	return c
}

// queryFirstLimit is the memory limit a query first runs under when
// KNOCKMAP_MEMORY_LIMIT sets none ("": store.DefaultMemoryLimit); one that
// runs out under it before printing a row runs again under DuckDB's own.
// Tests make it small.
var queryFirstLimit = ""

func orDefault(limit string) string {
	if limit == "" {
		return store.DefaultMemoryLimit
	}
	return limit
}

// printQuery opens the database at path with opt and prints what q gives.
func printQuery(cmd *cobra.Command, path string, opt store.Options, w io.Writer, q, format string, args []any) error {
	db, err := store.Open(cmd.Context(), path, opt)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Print(cmd.Context(), w, q, format, args...)
}

// counted is a writer that counts the bytes written through it.
type counted struct {
	w io.Writer
	n int64
}

func (c *counted) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// isName says whether s looks like a query name rather than SQL.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
