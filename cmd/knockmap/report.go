//go:build duckdb_arrow

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/report"
	"github.com/knockmap/knockmap/pipeline/store"
)

func newReport(g *globals) *cobra.Command {
	var opt report.Options
	var since, until string
	var from []string
	c := &cobra.Command{
		Use:   "report",
		Short: "Draw the charts and maps and write an offline HTML page",
		Long: `report writes PNG pictures and one self-contained index.html into --out: top source
ports, usernames, countries (with flags) and networks, attempts per day by country, a
weekday-by-hour heatmap, a world map by country, dot maps of the world's, the
conterminous US's and each other state's and territory's located places, and an
interactive timeline to compare countries. The page makes no network request.

--from draws the same report from the Parquet files of knockmap export instead of
the database, read where they lie: one host's, or many hosts' copied into one tree
(or an s3:// bucket, through DuckDB's httpfs extension), with a list of the hosts and
their totals in the page.`,
		Example: `  knockmap report --out /srv/www/knockmap --since 30d
  knockmap report --from '/srv/knockmap/fleet/**/*.parquet' --out /srv/www/fleet
  AWS_REGION=eu-west-1 knockmap report --from 's3://bucket/knockmap/**/*.parquet' --out fleet`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), g.dbPath(), from, opt, since, until, time.Now())
		},
	}
	c.Flags().StringArrayVar(&from, "from", nil, "draw from these Parquet files of knockmap export (a path or glob such as 'DIR/**/*.parquet', or s3://…) instead of the database (repeatable)")
	c.Flags().StringVar(&opt.Out, "out", "knockmap-report", "folder for the pictures and index.html")
	c.Flags().StringVar(&since, "since", "", "first day, as 2026-01-31, an RFC 3339 time, or a duration back from now such as 30d or 12h")
	c.Flags().StringVar(&until, "until", "", "end (exclusive), in the same forms as --since")
	c.Flags().Float64Var(&opt.Scale, "scale", 1, "picture scale: 2 for high-density screens and print")
	c.Flags().StringVar(&opt.WorldShp, "world-shp", "", "a Natural Earth admin-0 countries shapefile to draw instead of the embedded world")
	c.Flags().StringVar(&opt.StatesShp, "states-shp", "", "a Census cartographic boundary states shapefile to draw instead of the embedded states")
	return c
}

// runReport draws the report opt asks for, of the period from since to
// until (as the flags give them, read at now), from the database at
// dbPath or from the exports' Parquet files from, and says what it wrote;
// progress goes to errw.
func runReport(ctx context.Context, w, errw io.Writer, dbPath string, from []string, opt report.Options, since, until string, now time.Time) error {
	var err error
	if opt.Since, err = parseWhen(since, now); err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	if opt.Until, err = parseWhen(until, now); err != nil {
		return fmt.Errorf("--until: %w", err)
	}
	if !opt.Since.IsZero() && !opt.Until.IsZero() && opt.Since.After(opt.Until) {
		return fmt.Errorf("--since %s (%s) is after --until %s (%s): nothing to report",
			since, opt.Since.UTC().Format(time.RFC3339), until, opt.Until.UTC().Format(time.RFC3339))
	}
	var db *sql.DB
	if len(from) > 0 {
		e, err := report.OpenExport(ctx, from)
		if err != nil {
			return err
		}
		defer e.Close()
		db = e.DB
	} else {
		s, err := store.Open(ctx, dbPath, store.Options{ReadOnly: true})
		if err != nil {
			return err
		}
		defer s.Close()
		db = s.DB
	}
	m := startMeter(errw, "drawing")
	opt.Progress = m.Set
	res, err := report.Run(ctx, db, opt)
	m.Stop()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d pictures and %s written in %.2f s (%s failed logins)\n",
		len(res.Files)-1, filepath.Join(opt.Out, "index.html"), res.Elapsed.Seconds(), strconv.FormatInt(res.Totals.Attempts, 10))
	return nil
}

// parseWhen reads a day, an RFC 3339 time, or a duration back from now
// (30d, 12h).
func parseWhen(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
		return t, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if d, err := strconv.Atoi(n); err == nil && d >= 0 {
			return now.AddDate(0, 0, -d), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a day (2026-01-31), a time (RFC 3339) or a duration (30d, 12h)", s)
}
