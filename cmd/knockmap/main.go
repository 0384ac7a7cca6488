//go:build duckdb_arrow

// Command knockmap turns sshd failure logs into a DuckDB database of failed
// logins: knockmap ingest /var/log/auth.log*, then knockmap query.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // --tz works on machines without a zoneinfo database

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/knockmap/knockmap/pipeline/store"
)

// exitError carries an exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot()
	err := root.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "knockmap:", err)
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}

type globals struct {
	db string
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "knockmap",
		Short: "Turn sshd failure logs into a DuckDB database of failed logins",
		Long: `knockmap reads sshd logs (auth.log, secure, journalctl output; rotated and gzipped
files too), loads every failed login into an embedded DuckDB database exactly once,
and answers questions about them in SQL.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.db, "db", "", "database file (default $KNOCKMAP_DB, else $XDG_DATA_HOME/knockmap/knockmap.duckdb)")
	root.AddCommand(newParse(), newIngest(g), newEnrich(g), newGeoIP(), newQuery(g), newReport(g), newExport(g), newRun(g), newDemo(), newForget(g))
	addVersion(root) // --version and knockmap version: version.go
	return root
}

// isTerminal says whether w is a terminal; a variable for tests.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// inert wraps the command's output, when it is a terminal, so that strings
// from the logs (attackers write usernames) show as text and cannot drive
// the terminal.
func inert(w io.Writer) io.Writer {
	if isTerminal(w) {
		return store.TerminalWriter(w)
	}
	return w
}

func (g *globals) dbPath() string {
	if g.db != "" {
		return g.db
	}
	return store.DefaultPath()
}

// location resolves --tz: an IANA zone name, "UTC", or "" / "Local" for the
// machine's zone.
func location(name string) (*time.Location, error) {
	if name == "" || name == "Local" || name == "local" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("--tz %q: %w", name, err)
	}
	return loc, nil
}
