//go:build duckdb_arrow

package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/export"
	"github.com/knockmap/knockmap/pipeline/store"
)

func newExport(g *globals) *cobra.Command {
	var opt export.Options
	var since string
	c := &cobra.Command{
		Use:   "export --out DIR",
		Short: "Write the failed logins with their locations as Parquet, CSV or JSON, by year and month",
		Long: `export writes every failed login with where its address is into DIR, in Hive
style folders by UTC year and month (DIR/year=2026/month=1/data_0.parquet), Parquet
compressed with zstd by default. Each month written replaces that month's folder, so
running it again never writes a row twice; --since limits it to the months from then
on and leaves older folders alone. In CSV, text cells that begin with = + - @ |, a tab
or a carriage return, or with spaces and then one of = + - @ |, get a leading
apostrophe, since usernames come from attackers and spreadsheets run such cells
(knockmap query --format csv does the same).`,
		Example: `  knockmap export --out /srv/knockmap/parquet --since 30d
  duckdb -c "SELECT count(*) FROM read_parquet('/srv/knockmap/parquet/**/*.parquet', hive_partitioning=true)"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), g.dbPath(), opt, since, time.Now())
		},
	}
	c.Flags().StringVar(&opt.Out, "out", "", "root folder of the export")
	c.Flags().StringVar(&opt.Format, "format", "parquet", "file format: "+strings.Join(export.Formats, ", "))
	c.Flags().StringVar(&since, "since", "", "export the months from this day on (2026-01-31, RFC 3339, or 30d); older month folders are left as they are")
	return c
}

// runExport writes the export opt asks for, of the months from since on
// (as --since gives it, read at now), and says what it wrote; progress
// goes to errw.
func runExport(ctx context.Context, w, errw io.Writer, dbPath string, opt export.Options, since string, now time.Time) error {
	if opt.Out == "" {
		return fmt.Errorf("--out is required")
	}
	var err error
	if opt.Since, err = parseWhen(since, now); err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	db, err := store.Open(ctx, dbPath, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	m := startMeter(errw, "exporting")
	st, err := export.Run(ctx, db.DB, opt)
	m.Stop()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d rows (%d attempts) in %d month folders written to %s (%s); %.2f s\n",
		st.Rows, st.Attempts, len(st.Partitions), opt.Out, opt.Format, st.Elapsed.Seconds())
	return nil
}
