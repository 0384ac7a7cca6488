//go:build duckdb_arrow

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/reading"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

func newParse() *cobra.Command {
	var rf readFlags
	var format string
	c := &cobra.Command{
		Use:   "parse [flags] FILE...",
		Short: "Show how each sshd line of the inputs is read, one JSON object a line",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "jsonl" {
				return fmt.Errorf("--format %q: parse writes jsonl", format)
			}
			opt, err := rf.options(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			srcs, errs := input.ExpandWarn(args, cmd.InOrStdin(), time.Now(), cmd.ErrOrStderr())
			out := bufio.NewWriterSize(cmd.OutOrStdout(), 64<<10)
			enc := json.NewEncoder(out)
			stats := reading.NewStats()
			d := reading.NewDescriber() // one for all the inputs: a connection goes on across a rotation
			for _, src := range srcs {
				_, first, ok, err := src.Fingerprint()
				if err == nil && !ok && len(first) > 0 {
					ok = true // parse shows an unfinished first line too
				}
				if err == nil && ok {
					_, err = reading.ReadSource(cmd.Context(), src, first, reading.Cursor{}, opt, stats,
						func(rec *syslog.Record, ev *sshd.Event, line int64) error {
							return enc.Encode(d.Describe(src.Name, rec, ev, line))
						})
				}
				src.Close()
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", src.Name, err))
				}
			}
			if err := out.Flush(); err != nil {
				return err
			}
			for _, e := range errs {
				fmt.Fprintln(cmd.ErrOrStderr(), "knockmap:", e)
			}
			if len(errs) > 0 {
				return &exitError{code: 2, err: fmt.Errorf("%d input(s) could not be read", len(errs))}
			}
			return nil
		},
	}
	rf.add(c)
	c.Flags().StringVar(&format, "format", "jsonl", "output format (jsonl)")
	return c
}
