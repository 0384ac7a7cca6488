//go:build duckdb_arrow

package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/store"
)

func newForget(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "forget [SOURCE...]",
		Short: "Remove a source and every row it loaded, so that the next ingest reads it again",
		Long: `forget removes each named source (the path it was last read from, or its id as
#3) and every row it loaded, in one transaction. The next ingest of that file reads it
from its start: the way to read a log again with another --year or --tz. With no
argument, forget lists the sources and changes nothing.`,
		Example: `  knockmap forget                       # list the sources with their ids
  knockmap forget /var/log/auth.log.1
  knockmap ingest --year 2025 /var/log/auth.log.1`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runForget(cmd.Context(), cmd.OutOrStdout(), g.dbPath(), args)
		},
	}
}

func runForget(ctx context.Context, w io.Writer, dbPath string, names []string) error {
	db, err := store.Open(ctx, dbPath, store.Options{ReadOnly: len(names) == 0})
	if err != nil {
		return err
	}
	defer db.Close()
	if len(names) == 0 {
		srcs, err := ingest.Sources(ctx, db.DB)
		if err != nil {
			return err
		}
		for _, s := range srcs {
			span := "no stamps"
			if s.FirstTS != nil {
				span = s.FirstTS.UTC().Format(time.DateTime) + " to " + s.LastTS.UTC().Format(time.DateTime) + " UTC"
			}
			fmt.Fprintf(w, "#%d\t%s\t%d lines, %d rows, %s\n", s.ID, s.Path, s.Lines, s.Rows, span)
		}
		return nil
	}
	gone, err := ingest.Forget(ctx, db.DB, names, time.Now())
	if err != nil {
		return err
	}
	for _, s := range gone {
		fmt.Fprintf(w, "forgot #%d %s: %d rows removed; the next ingest reads it from its start\n", s.ID, s.Path, s.Rows)
	}
	return nil
}
