//go:build duckdb_arrow

package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/enrich"
	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/reading"
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

func (f *readFlags) options(warn io.Writer) (reading.Options, error) {
	loc, err := location(f.tz)
	if err != nil {
		return reading.Options{}, err
	}
	if f.year != 0 && (f.year < 1970 || f.year > 9999) {
		return reading.Options{}, fmt.Errorf("--year %d is out of range", f.year)
	}
	return reading.Options{Location: loc, Year: f.year, Warn: warn}, nil
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
			ro, err := rf.options(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			m := startMeter(cmd.ErrOrStderr(), "reading")
			defer m.Stop()
			srcs, errs := input.ExpandWarn(args, cmd.InOrStdin(), time.Now(), cmd.ErrOrStderr())
			defer func() {
				for _, s := range srcs {
					s.Close()
				}
			}()
			// the summary and the locating run while the database is open,
			// under the loading settings (the locating takes as long either way)
			opt := ingest.Options{Location: ro.Location, Year: ro.Year, Warn: m.Above(ro.Warn), Host: host, Wait: wait,
				Progress: m.Add, Left: m.Grow,
				Then: func(ctx context.Context, db *store.DB, st *ingest.Stats) error {
					m.Stop()
					errs = append(errs, st.FileErrors...)
					for _, e := range errs {
						fmt.Fprintln(cmd.ErrOrStderr(), "knockmap:", e)
					}
					printSummary(cmd.OutOrStdout(), st)
					if noEnrich {
						return nil
					}
					if err := runEnrich(ctx, cmd.OutOrStdout(), cmd.ErrOrStderr(), db.DB, &gf, enrich.Options{}); err != nil {
						return fmt.Errorf("the events are loaded; %w", err)
					}
					return nil
				}}
			if _, err := ingest.Ingest(cmd.Context(), g.dbPath(), srcs, opt); err != nil {
				return err
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
