//go:build duckdb_arrow

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/activity"
	"github.com/knockmap/knockmap/pipeline/logins"
	"github.com/knockmap/knockmap/pipeline/store"
	sqlfiles "github.com/knockmap/knockmap/sql"
)

// statusOptions are what `knockmap status` needs.
type statusOptions struct {
	db  string
	now time.Time
}

func newStatus(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "One screen: what the database covers, the last run, each source, the logins that stand out",
		Long: `status shows on one screen the period the database covers, the failed attempts and
addresses, the addresses new today (UTC), the last ingest, the addresses first seen
since the run before it and those with failed attempts in the last 24 hours (of the
clock, not of the log), each source (when it was read, its lines) and the logins of the
last 7 days of the log that stand out.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd.Context(), cmd.OutOrStdout(), statusOptions{db: g.dbPath(), now: time.Now()})
		},
	}
}

// statusSources and statusLogins are how many sources and logins status
// shows before it says how many more there are.
const (
	statusSources = 8
	statusLogins  = 5
)

// runStatus prints the summary of o's database.
func runStatus(ctx context.Context, w io.Writer, o statusOptions) error {
	db, err := store.Open(ctx, o.db, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	const day = "2006-01-02 15:04Z"
	when := func(t sql.NullTime) string {
		if !t.Valid {
			return "-"
		}
		return t.Time.UTC().Format(day)
	}

	var first, last sql.NullTime
	var attempts, addresses, newToday int64
	if err := db.QueryRowContext(ctx, sqlfiles.Statement("status/totals"), sql.Named("today", o.now.UTC().Format("2006-01-02"))).
		Scan(&first, &last, &attempts, &addresses, &newToday); err != nil {
		return fmt.Errorf("status: %w", err)
	}
	fmt.Fprintf(w, "database  %s\n", store.Terminal(o.db))
	if r := store.Repairs(o.db); len(r) > 0 {
		fmt.Fprintf(w, "repaired  %d metadata block(s) that a kill had left half-written; the last record: %s\n", len(r), store.Terminal(r[len(r)-1]))
	}
	fmt.Fprintf(w, "period    %s to %s\n", when(first), when(last))
	fmt.Fprintf(w, "attempts  %d failed, from %d addresses, %d of them new today (UTC)\n", attempts, addresses, newToday)

	var started, finished time.Time
	var files, lines, newRows, skipped, bad int64
	switch err := db.QueryRowContext(ctx, sqlfiles.Statement("status/last_run")).Scan(&started, &finished, &files, &lines, &newRows, &skipped, &bad); err {
	case nil:
		fmt.Fprintf(w, "last run  %s (%.1f s): %d files, %d lines, %d new rows, %d skipped, %d bad\n",
			finished.UTC().Format(day), finished.Sub(started).Seconds(), files, lines, newRows, skipped, bad)
	case sql.ErrNoRows:
		fmt.Fprintln(w, "last run  none")
	default:
		return fmt.Errorf("status: %w", err)
	}

	if err := printActivity(ctx, w, db.DB, o.now); err != nil {
		return err
	}

	rows, err := db.QueryContext(ctx, sqlfiles.Statement("status/sources"))
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	defer rows.Close()
	fmt.Fprintln(w, "sources   (bad lines are counted per run, not per source)")
	n := 0
	for rows.Next() {
		var path string
		var read time.Time
		var srcLines int64
		var from, to sql.NullTime
		if err := rows.Scan(&path, &read, &srcLines, &from, &to); err != nil {
			return fmt.Errorf("status: %w", err)
		}
		if n++; n <= statusSources {
			fmt.Fprintf(w, "  %s  read %s, %d lines, %s to %s\n", store.Terminal(path), read.UTC().Format(day), srcLines, when(from), when(to))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("status: %w", err)
	}
	if n > statusSources {
		fmt.Fprintf(w, "  and %d more\n", n-statusSources)
	}
	if n == 0 {
		fmt.Fprintln(w, "  none read yet")
	}

	if !last.Valid {
		return nil
	}
	since := last.Time.Add(-7 * 24 * time.Hour)
	ls, err := logins.Query(ctx, db.DB, since, false)
	if err != nil {
		return err
	}
	alerts := 0
	for _, l := range ls {
		if l.Alerts {
			alerts++
		}
	}
	fmt.Fprintf(w, "logins    %d stand out in the last 7 days of the log, %d of them after failed attempts (knockmap logins)\n", len(ls), alerts)
	if len(ls) > statusLogins {
		fmt.Fprintf(w, "  the newest %d:\n", statusLogins)
		ls = ls[len(ls)-statusLogins:]
	}
	return logins.Print(w, ls)
}

// statusAddresses is how many new and active addresses status names.
const statusAddresses = 5

// printActivity writes the addresses the last run brought (first seen
// after the run before it finished) and those active in the day before
// now, with the ones with the most attempts.
func printActivity(ctx context.Context, w io.Writer, db *sql.DB, now time.Time) error {
	since, err := activity.PreviousRun(ctx, db, 1)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	a, err := activity.Query(ctx, db, since, now, statusAddresses)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	prev := "none: every address is new"
	if !since.IsZero() {
		prev = since.UTC().Format("2006-01-02 15:04Z")
	}
	fmt.Fprintf(w, "new       %d addresses first seen since the run before the last (%s)%s\n", a.New, prev, topList(a.NewTop))
	fmt.Fprintf(w, "active    %d addresses with failed attempts in the 24 h before %s%s\n", a.Active, now.UTC().Format("2006-01-02 15:04Z"), topList(a.ActiveTop))
	return nil
}

// topList is ": ip (attempts), …" for addresses, "" for none.
func topList(as []activity.Address) string {
	s := ""
	for i, a := range as {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		s += fmt.Sprintf("%s%s (%d)", sep, store.Terminal(a.IP), a.Attempts)
	}
	return s
}
