//go:build duckdb_arrow

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// parsedLine is what knockmap parse prints for each recognised sshd line.
type parsedLine struct {
	File        string  `json:"file"`
	Line        int64   `json:"line"`
	TS          string  `json:"ts"`
	Kind        string  `json:"kind"`
	Method      *string `json:"method"`
	User        *string `json:"user"`
	InvalidUser bool    `json:"invalid_user"`
	IP          *string `json:"ip"`
	Port        *int32  `json:"port"`
	Repeat      int32   `json:"repeat"`
}

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
			opt, err := rf.options()
			if err != nil {
				return err
			}
			srcs, errs := input.Expand(args, cmd.InOrStdin(), time.Now())
			out := bufio.NewWriterSize(cmd.OutOrStdout(), 64<<10)
			enc := json.NewEncoder(out)
			stats := ingest.NewStats()
			for _, src := range srcs {
				_, first, ok, err := src.Fingerprint()
				if err == nil && !ok && len(first) > 0 {
					ok = true // parse shows an unfinished first line too
				}
				if err == nil && ok {
					_, err = ingest.ReadSource(cmd.Context(), src, first, ingest.Cursor{}, opt, stats,
						func(rec *syslog.Record, ev *sshd.Event, line int64) error {
							return enc.Encode(parsedOf(src.Name, rec, ev, line))
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
				fmt.Fprintln(os.Stderr, "knockmap:", e)
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

func parsedOf(file string, rec *syslog.Record, ev *sshd.Event, line int64) parsedLine {
	p := parsedLine{
		File: file, Line: line, Kind: ev.Kind.String(), InvalidUser: ev.InvalidUser, Repeat: ev.Repeat,
		TS: time.UnixMicro(rec.TS).UTC().Format(time.RFC3339Nano),
	}
	str := func(b []byte) *string { s := string(b); return &s }
	if ev.Method != nil {
		p.Method = str(ev.Method)
	}
	if ev.HasUser {
		p.User = str(ev.User)
	}
	if ev.Addr != nil {
		p.IP = str(ev.Addr)
	}
	if ev.Port != 0 {
		port := ev.Port
		p.Port = &port
	}
	return p
}
