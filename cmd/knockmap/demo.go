//go:build duckdb_arrow

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/campaign"
	"github.com/knockmap/knockmap/pipeline/enrich"
	"github.com/knockmap/knockmap/pipeline/geoip"
	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/logins"
	"github.com/knockmap/knockmap/pipeline/outfile"
	"github.com/knockmap/knockmap/pipeline/report"
	"github.com/knockmap/knockmap/pipeline/samplelog"
	"github.com/knockmap/knockmap/pipeline/store"
	"github.com/knockmap/knockmap/sql"
)

func newDemo() *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "demo",
		Short: "Make a realistic sample log, load it into a demo database and show what is in it",
		Long: `demo needs nothing but knockmap: it writes a deterministic sample of what a small
server with port 22 open logs over a December and January (rotated, gzipped, across
New Year) into OUT/logs, ingests it into OUT/knockmap.duckdb, locates the addresses,
prints a summary and a few of the named queries, and writes the report into
OUT/report. Run it again and nothing is loaded twice. The addresses are located with
an excerpt of DB-IP Lite city and an ASN table built into knockmap for the sample's
addresses alone (no GeoIP database on this machine is asked); knockmap enrich and run
never use it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			logs := filepath.Join(out, "logs")
			if err := outfile.MkdirAll(logs); err != nil {
				return err
			}
			paths, err := samplelog.Write(logs, samplelog.Demo)
			if err != nil {
				return fmt.Errorf("writing the sample log: %w", err)
			}
			dbPath := filepath.Join(out, "knockmap.duckdb")
			srcs, errs := input.Expand(paths, nil, time.Now())
			if len(errs) > 0 {
				return errs[0]
			}
			// what follows the load runs on the database it was loaded into,
			// with DuckDB's own settings (a report)
			opt := ingest.Options{Location: time.UTC, Warn: cmd.ErrOrStderr(), ThenQueries: true,
				Then: func(ctx context.Context, db *store.DB, st *ingest.Stats) error {
					return demoAfterLoad(ctx, w, db, st, logs, dbPath, out)
				}}
			_, err = ingest.Ingest(cmd.Context(), dbPath, srcs, opt)
			return err
		},
	}
	c.Flags().StringVar(&out, "out", "knockmap-demo", "folder for the sample logs and the demo database")
	return c
}

// demoAfterLoad prints the summary of the demo's load, locates the
// addresses, prints a few of the named queries and what the sample
// planted, and writes the report into out/report.
func demoAfterLoad(ctx context.Context, w io.Writer, db *store.DB, st *ingest.Stats, logs, dbPath, out string) error {
	printSummary(w, st)
	// the demo's own excerpt, not the databases on this machine: the
	// same pictures everywhere, with no network
	dbs, err := geoip.Demo()
	if err != nil {
		return err
	}
	loc := geoip.NewLocator(dbs)
	est, err := enrich.Run(ctx, db.DB, loc, enrich.Options{})
	if err != nil {
		return fmt.Errorf("enrich: %w", err)
	}
	printEnrich(w, est, loc)
	for _, name := range []string{"attempts_per_method", "top_usernames", "top_addresses"} {
		q, err := sqlfiles.Query(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n%s (knockmap query --db %s %s):\n", q.Description, dbPath, name)
		if err := db.Print(ctx, w, q.SQL, "table", q.Args(nil)...); err != nil {
			return err
		}
	}
	if err := demoFindings(ctx, w, db.DB, dbPath); err != nil {
		return err
	}
	reportDir := filepath.Join(out, "report")
	res, err := report.Run(ctx, db.DB, report.Options{Out: reportDir})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	index, _ := filepath.Abs(res.Files[len(res.Files)-1])
	fmt.Fprintf(w, "\nThe sample logs are in %s and the database is %s.\nThe report (%d pictures) is file://%s\nTry: knockmap query --db %s \"SELECT * FROM failed_logins LIMIT 10\"\n",
		logs, dbPath, len(res.Files)-1, index, dbPath)
	return nil
}

// demoFindings prints what the sample has planted among its noise, as
// knockmap finds it: the logins that stand out, the campaigns and the
// slow brute forces.
func demoFindings(ctx context.Context, w io.Writer, db *sql.DB, dbPath string) error {
	ls, err := logins.Query(ctx, db, time.Time{}, false)
	if err != nil {
		return err
	}
	var planted []logins.Login
	for _, l := range ls {
		if l.FailedBefore > 0 {
			planted = append(planted, l)
		}
	}
	fmt.Fprintf(w, "\nDid anyone get in? %d logins after failures from their address (knockmap logins --db %s):\n", len(planted), dbPath)
	if err := logins.Print(w, planted); err != nil {
		return err
	}
	cs, err := campaign.Rebuild(ctx, db, campaign.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nCampaigns, addresses that share one username dictionary: %d, with %d addresses (SELECT * FROM campaigns).\n", cs.Campaigns, cs.Members)
	var slow int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM slow_addresses`).Scan(&slow); err != nil {
		return err
	}
	fmt.Fprintf(w, "Slow brute forces, a few attempts an hour over days: %d address(es) (SELECT * FROM slow_addresses).\n", slow)
	return nil
}
