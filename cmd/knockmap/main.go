//go:build duckdb_arrow

// Command knockmap turns sshd failure logs into a DuckDB database of failed
// logins: knockmap ingest /var/log/auth.log*, then knockmap query.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
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

// goMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT sets one:
// DuckDB has its own (store.DefaultMemoryLimit), and the report's Go
// heap, left to grow to twice what it holds between collections, took
// 130 MB of its resident memory over 7.9M rows.
const goMemoryLimit = 96 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(goMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runRoot(ctx, newRoot(), os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}

// runRoot runs root on args with its output going to stdout and its
// errors, warnings and progress to stderr, each made inert where it is a
// terminal, and prints the error it ends with, if any, to stderr. Commands
// write only to cmd.OutOrStdout() and cmd.ErrOrStderr(), so nothing one of
// them prints (usernames, host names, file names, DuckDB's messages quoting
// the SQL or a value) can drive the terminal.
func runRoot(ctx context.Context, root *cobra.Command, args []string, stdout, stderr io.Writer) error {
	stdout, stderr = inert(stdout), inert(stderr)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "knockmap:", err)
		if hint := memoryHint(err); hint != "" {
			fmt.Fprintln(stderr, hint)
		}
	}
	return err
}

// memoryHint is the line that follows an error in which DuckDB ran out of
// memory: the limit it ran under and how to raise it; "" for any other
// error.
func memoryHint(err error) string {
	if !strings.Contains(err.Error(), "Out of Memory Error") {
		return ""
	}
	if set := os.Getenv("KNOCKMAP_MEMORY_LIMIT"); set != "" {
		return fmt.Sprintf("knockmap: DuckDB's memory limit was KNOCKMAP_MEMORY_LIMIT=%s; a larger one may do (KNOCKMAP_MEMORY_LIMIT=2GB knockmap …)", set)
	}
	return fmt.Sprintf("knockmap: DuckDB's memory limit is %s unless KNOCKMAP_MEMORY_LIMIT says otherwise (KNOCKMAP_MEMORY_LIMIT=2GB knockmap …)", store.DefaultMemoryLimit)
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
	root.AddCommand(newLogins(g))
	root.AddCommand(newStatus(g))
	root.AddCommand(newCampaigns(g))
	root.AddCommand(newBlocklist(g))
	return root
}

// isTerminal says whether w is a terminal; a variable for tests.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// tty is a terminal made inert: what is written to it shows as text
// (store.TerminalWriter), one write at a time.
type tty struct {
	mu  sync.Mutex
	out io.Writer
	raw io.Writer // the terminal itself
}

func (t *tty) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.out.Write(p)
}

// inert wraps w, when it is a terminal, so that strings from the logs
// (attackers write usernames) show as text and cannot drive the terminal.
func inert(w io.Writer) io.Writer {
	if _, done := w.(*tty); !done && isTerminal(w) {
		return &tty{out: store.TerminalWriter(w), raw: w}
	}
	return w
}

// onTerminal says whether w, a command's output or error stream, is a
// terminal.
func onTerminal(w io.Writer) bool {
	_, ok := w.(*tty)
	return ok
}

// barWriter is where a progress bar on w draws: the terminal itself, since
// a bar redraws its line with a carriage return and erases it with an
// escape sequence. Only knockmap's own text may go into a bar, and what
// could come from elsewhere is passed through store.Terminal first.
func barWriter(w io.Writer) io.Writer {
	if t, ok := w.(*tty); ok {
		return t.raw
	}
	return w
}

// withDB opens the database at path with opt, hands it to f and closes
// it: what a subcommand that works on one database does around its body.
func withDB(ctx context.Context, path string, opt store.Options, f func(*sql.DB) error) error {
	db, err := store.Open(ctx, path, opt)
	if err != nil {
		return err
	}
	defer db.Close()
	return f(db.DB)
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
