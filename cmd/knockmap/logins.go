//go:build duckdb_arrow

package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/logins"
	"github.com/knockmap/knockmap/pipeline/store"
)

// loginsOptions are `knockmap logins`'s flags.
type loginsOptions struct {
	db    string
	since string
	all   bool
	now   time.Time
}

func newLogins(g *globals) *cobra.Command {
	var o loginsOptions
	c := &cobra.Command{
		Use:   "logins [--since 7d] [--all]",
		Short: "Did anyone get in? List the successful logins that stand out, with the reasons",
		Long: `logins lists the successful logins (sshd's "Accepted …" lines) from --since on that
stand out, each with the reasons: failed attempts from its address before it, from its
network (its /24 or /48, else its ASN), a password login for a user that other addresses
were trying in the 7 days before, this user's first login from the address, ASN or
country, an hour of the day the user never logged in at before. --all lists every login.
The view logins holds the same, a column a reason.`,
		Example: `  knockmap logins
  knockmap logins --since 90d --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.db, o.now = g.dbPath(), time.Now()
			return runLogins(cmd.Context(), cmd.OutOrStdout(), o)
		},
	}
	c.Flags().StringVar(&o.since, "since", "7d", "first day, as 2026-01-31, an RFC 3339 time, or a duration back from now such as 30d; \"\" for all")
	c.Flags().BoolVar(&o.all, "all", false, "list every login, not only those that stand out")
	return c
}

// runLogins prints the logins of o, or says there is none.
func runLogins(ctx context.Context, w io.Writer, o loginsOptions) error {
	since, err := parseWhen(o.since, o.now)
	if err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	db, err := store.Open(ctx, o.db, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	ls, err := logins.Query(ctx, db.DB, since, o.all)
	if err != nil {
		return err
	}
	if len(ls) == 0 {
		what := "no login stands out"
		if o.all {
			what = "no login"
		}
		if !since.IsZero() {
			what += " since " + since.UTC().Format("2006-01-02 15:04Z")
		}
		_, err := fmt.Fprintln(w, what)
		return err
	}
	return logins.Print(w, ls)
}
