//go:build duckdb_arrow

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/config"
	"github.com/knockmap/knockmap/pipeline/logins"
	"github.com/knockmap/knockmap/pipeline/nightly"
	"github.com/knockmap/knockmap/pipeline/progress"
)

func newRun(g *globals) *cobra.Command {
	var (
		cfgPath  string
		asJSON   bool
		over     config.Config
		geoPaths []string
		wait     time.Duration
	)
	c := &cobra.Command{
		Use:   "run [flags] [INPUT...]",
		Short: "The nightly job: ingest every configured source, locate, report and export, under a lock",
		Long: `run does everything a cron job or systemd timer needs: it takes a lock on the
database (it waits up to --wait for another run, or for another process that has the
database open, such as a query or a DuckDB shell, then gives up with a message), reads every
source in the configuration (files and globs, a command's output such as journalctl,
files on another host over SSH) or the INPUTs given, locates the new addresses, draws
the report when [report] out is set and writes the export when [export] out is set.

It prints nothing when it succeeds and its output is not a terminal; --json prints a
summary for scripts. On a terminal it shows what it did, with a progress line for steps
that take more than a second. Errors go to stderr with a non-zero exit.

Settings come from, in order: a flag, an environment variable (KNOCKMAP_DB, _TZ,
_YEAR, _HOST, _GEOIP, _NO_ENRICH, _WAIT, _SOURCES, _REPORT_OUT, _REPORT_SINCE,
_REPORT_SCALE, _REPORT_REDRAW, _EXPORT_OUT, _EXPORT_FORMAT, _EXPORT_SINCE,
_EXPORT_REWRITE, _ALERT), the file
($XDG_CONFIG_HOME/knockmap/config.toml, or --config), the default.`,
		Example: `  # /etc/cron.d/knockmap
  15 3 * * *  root  knockmap run --config /etc/knockmap.toml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			path, required := cfgPath, cfgPath != ""
			if path == "" {
				path = config.DefaultPath()
			}
			cfg, err := config.Load(path, required)
			if err != nil {
				return err
			}
			if err := cfg.ApplyEnv(os.Getenv); err != nil {
				return err
			}
			applyFlags(cmd, &cfg, over, g, geoPaths, wait, args)
			if err := cfg.Check(); err != nil {
				return err
			}
			loc, err := location(cfg.TZ)
			if err != nil {
				return err
			}
			return runNightly(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), cfg, loc, asJSON)
		},
	}
	f := c.Flags()
	f.StringVar(&cfgPath, "config", "", "configuration file (default $XDG_CONFIG_HOME/knockmap/config.toml, if it exists)")
	f.BoolVar(&asJSON, "json", false, "print a machine-readable summary")
	f.StringVar(&over.TZ, "tz", "", "time zone of stamps that carry none (config: tz)")
	f.IntVar(&over.Year, "year", 0, "year of each file's last line for year-less stamps (config: year)")
	f.StringVar(&over.Host, "host", "", "store this host name on every event (config: host)")
	f.StringSliceVar(&geoPaths, "geoip", nil, "GeoIP databases or folders (config: geoip)")
	f.BoolVar(&over.NoEnrich, "no-enrich", false, "do not locate addresses (config: no_enrich)")
	f.DurationVar(&wait, "wait", time.Minute, "how long to wait for another run, or another process, that has the database (config: wait)")
	f.StringVar(&over.Report.Out, "out", "", "report folder (config: [report] out)")
	f.StringVar(&over.Report.Since, "since", "", "report from this day, time or duration back (config: [report] since)")
	f.Float64Var(&over.Report.Scale, "scale", 1, "report picture scale (config: [report] scale)")
	f.BoolVar(&over.Report.Redraw, "redraw", false, "draw the report even when nothing changed since the last one (config: [report] redraw)")
	f.StringVar(&over.Export.Out, "export-out", "", "export folder (config: [export] out)")
	f.StringVar(&over.Export.Format, "format", "parquet", "export format: parquet, csv or json (config: [export] format)")
	f.StringVar(&over.Export.Since, "export-since", "", "export the months from this day on (config: [export] since)")
	f.BoolVar(&over.Export.Rewrite, "rewrite", false, "write the export even when nothing changed since the last one (config: [export] rewrite)")
	return c
}

// applyFlags lets the flags the user set win over the environment and the

// runNightly runs the nightly job cfg describes, in the zone loc, and
// prints what a user asked for: the summary as JSON, a summary on a
// terminal (and progress on errw), and the logins to mail, always.
func runNightly(ctx context.Context, w, errw io.Writer, cfg config.Config, loc *time.Location, asJSON bool) error {
	terminal := onTerminal(w)
	var m *progress.Meter
	opt := nightly.Options{Location: loc, Warn: errw, Since: func(s string) (time.Time, error) { return parseWhen(s, time.Now()) }}
	if terminal && !asJSON {
		m = newMeter(errw)
		opt.Step = func(name string) { m.Start(name, units[name]) }
		opt.Progress, opt.Left, opt.Count, opt.Warn = m.Add, m.Grow, m.Set, m.Above(opt.Warn)
	}
	sum, err := nightly.Run(ctx, cfg, opt)
	m.Stop()
	if err != nil {
		return err
	}
	switch {
	case asJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sum); err != nil {
			return err
		}
	case terminal:
		printSummary(w, sum.Ingest)
		if sum.Enrich != nil {
			fmt.Fprintf(w, "%d addresses located, %d not public\n", sum.Enrich.Lookups, sum.Enrich.NotPublic)
		}
		if sum.Report != nil {
			fmt.Fprintf(w, "report: %d files in %s\n", len(sum.Report.Files), cfg.Report.Out)
		}
		for _, u := range sum.Unchanged {
			fmt.Fprintf(w, "%s: nothing new, left as it was (--redraw, --rewrite to write it anyway)\n", u)
		}
		if sum.Export != nil {
			fmt.Fprintf(w, "export: %d rows (%d attempts) in %d month folders in %s\n", sum.Export.Rows, sum.Export.Attempts, len(sum.Export.Partitions), cfg.Export.Out)
		}
	}
	if !asJSON && len(sum.Logins) > 0 {
		if err := printAlert(w, sum); err != nil {
			return err
		}
	}
	for _, p := range sum.Problems {
		fmt.Fprintln(errw, "knockmap:", p)
	}
	if len(sum.Problems) > 0 {
		return &exitError{code: 2, err: fmt.Errorf("%d input(s) could not be read; the rest is done", len(sum.Problems))}
	}
	return nil
}

// file.
func applyFlags(cmd *cobra.Command, cfg *config.Config, over config.Config, g *globals, geo []string, wait time.Duration, args []string) {
	set := func(name string) bool {
		fl := cmd.Flags().Lookup(name)
		if fl == nil {
			fl = cmd.InheritedFlags().Lookup(name)
		}
		return fl != nil && fl.Changed
	}
	if set("db") {
		cfg.DB = g.db
	}
	for name, apply := range map[string]func(){
		"tz":           func() { cfg.TZ = over.TZ },
		"year":         func() { cfg.Year = over.Year },
		"host":         func() { cfg.Host = over.Host },
		"geoip":        func() { cfg.GeoIP = geo },
		"no-enrich":    func() { cfg.NoEnrich = over.NoEnrich },
		"wait":         func() { cfg.Wait.Duration = wait },
		"out":          func() { cfg.Report.Out = over.Report.Out },
		"since":        func() { cfg.Report.Since = over.Report.Since },
		"scale":        func() { cfg.Report.Scale = over.Report.Scale },
		"redraw":       func() { cfg.Report.Redraw = over.Report.Redraw },
		"rewrite":      func() { cfg.Export.Rewrite = over.Export.Rewrite },
		"export-out":   func() { cfg.Export.Out = over.Export.Out },
		"format":       func() { cfg.Export.Format = over.Export.Format },
		"export-since": func() { cfg.Export.Since = over.Export.Since },
	} {
		if set(name) {
			apply()
		}
	}
	if len(args) > 0 {
		cfg.Sources = nil
		for _, a := range args {
			cfg.Sources = append(cfg.Sources, config.Source{Path: a})
		}
	}
}

// printAlert writes the block cron mails: the logins this run loaded that
// alert (logins.Login.Alerts), each with every reason it stands out; the
// latest nightly.AlertShown of them when there are more, with the command
// that lists them all.
func printAlert(w io.Writer, sum *nightly.Summary) error {
	ls := sum.Logins
	head := fmt.Sprintf("knockmap: %d login(s) loaded by this run came after failed attempts:\n", len(ls))
	if more := sum.Alerting - int64(len(ls)); more > 0 {
		// --since takes a day in the local zone (parseWhen)
		head = fmt.Sprintf("knockmap: %d logins loaded by this run came after failed attempts; the latest %d follow "+
			"(`knockmap logins --since %s` lists them all, among the logins that stand out):\n",
			sum.Alerting, len(ls), sum.AlertingSince.In(time.Local).Format(time.DateOnly))
	}
	if _, err := io.WriteString(w, head); err != nil {
		return err
	}
	return logins.Print(w, ls)
}
