//go:build duckdb_arrow

package main

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/enrich"
	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

type readFlags struct {
	tz   string
	year int
}

func (f *readFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&f.tz, "tz", "", "time zone of stamps that carry none, e.g. Europe/Berlin or UTC (default: this machine's)")
	c.Flags().IntVar(&f.year, "year", 0, "year of each file's last line, for syslog stamps without a year (default: the year of the file's modification time)")
}

func (f *readFlags) options(warn io.Writer) (ingest.Options, error) {
	loc, err := location(f.tz)
	if err != nil {
		return ingest.Options{}, err
	}
	if f.year != 0 && (f.year < 1970 || f.year > 9999) {
		return ingest.Options{}, fmt.Errorf("--year %d is out of range", f.year)
	}
	return ingest.Options{Location: loc, Year: f.year, Warn: warn}, nil
}

func newIngest(g *globals) *cobra.Command {
	var rf readFlags
	var gf geoipFlags
	var host string
	var noEnrich bool
	var wait time.Duration
	c := &cobra.Command{
		Use:   "ingest [flags] INPUT...",
		Short: "Load sshd events from log files, globs, directories or - (stdin) into the database",
		Long: `ingest reads each input from where the last ingest left it and loads every
recognised sshd line into the events table, once: a re-run, a rotated or compressed
copy of a file already read, or an overlap between files adds nothing twice.
Rotated sets (auth.log.2.gz, auth.log.1, auth.log) are read oldest first.
Then it locates the addresses it has not seen before (see knockmap enrich) unless
--no-enrich.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := rf.options(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			opt.Host = host
			m := startMeter(cmd.ErrOrStderr(), "reading")
			defer m.Stop()
			opt.Progress, opt.Left, opt.Warn = m.Add, m.Grow, m.Above(opt.Warn)
			srcs, errs := input.ExpandWarn(args, cmd.InOrStdin(), time.Now(), cmd.ErrOrStderr())
			defer func() {
				for _, s := range srcs {
					s.Close()
				}
			}()
			opt.Prescan = ingest.PrescanNew(g.dbPath(), srcs) // into a new database, while DuckDB makes it
			defer opt.Prescan.Stop()
			var db *store.DB
			defer func() {
				if db != nil {
					db.Close()
				}
			}()
			// opened as DuckDB loads, so that nothing is changed and put
			// back around the load (ingest.StoreOptions); the enrichment
			// after it takes as long either way
			open := func() (*sql.DB, error) {
				var err error
				if db, err = store.OpenWaiting(cmd.Context(), g.dbPath(), ingest.StoreOptions(), wait); err != nil {
					return nil, err
				}
				return db.DB, nil
			}
			var st *ingest.Stats
			if _, statErr := os.Stat(g.dbPath()); errors.Is(statErr, fs.ErrNotExist) {
				// a new database: reading starts while DuckDB makes it
				st, err = ingest.RunNew(cmd.Context(), open, srcs, opt)
			} else if _, err = open(); err == nil {
				st, err = ingest.Run(cmd.Context(), db.DB, srcs, opt)
			}
			if err != nil && db == nil {
				return err // the database did not open
			}
			if err != nil {
				return fmt.Errorf("ingest failed, nothing was loaded: %w", err)
			}
			m.Stop()
			errs = append(errs, st.FileErrors...)
			for _, e := range errs {
				fmt.Fprintln(cmd.ErrOrStderr(), "knockmap:", e)
			}
			printSummary(cmd.OutOrStdout(), st)
			if !noEnrich {
				if err := runEnrich(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), db.DB, &gf, enrich.Options{}); err != nil {
					return fmt.Errorf("the events are loaded; %w", err)
				}
			}
			if len(errs) > 0 {
				return &exitError{code: 2, err: fmt.Errorf("%d input(s) could not be read", len(errs))}
			}
			return nil
		},
	}
	rf.add(c)
	gf.add(c)
	c.Flags().StringVar(&host, "host", "", "store this host name on every event instead of the one in the log")
	c.Flags().BoolVar(&noEnrich, "no-enrich", false, "do not locate new addresses after loading")
	c.Flags().DurationVar(&wait, "wait", 0, "how long to wait for another process that has the database open (a run, a query), as run does")
	return c
}

func printSummary(w io.Writer, st *ingest.Stats) {
	kinds := make([]string, 0, len(st.Kinds))
	for k := range st.Kinds {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if st.Kinds[kinds[i]] != st.Kinds[kinds[j]] {
			return st.Kinds[kinds[i]] > st.Kinds[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s=%d", k, st.Kinds[k])
	}
	byKind := ""
	if len(parts) > 0 {
		byKind = " (" + strings.Join(parts, " ") + ")"
	}
	odd := ""
	if st.Escaped > 0 {
		odd += fmt.Sprintf(", %d with text that was not UTF-8 (stored escaped)", st.Escaped)
	}
	if st.Redated > 0 {
		odd += fmt.Sprintf(", %d dated ahead of the clock (moved a year back)", st.Redated)
	}
	fmt.Fprintf(w, "%d files read, %d unchanged; %d lines, %d sshd events%s; %d new rows%s, %d already loaded; %d lines skipped, %d bad; %.2f s\n",
		st.Files, st.Unchanged, st.Lines, st.Events(), byKind, st.NewRows, odd, st.Duplicates, st.Skipped, st.Bad, st.Elapsed.Seconds())
}
