//go:build duckdb_arrow

package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/store"
)

func newQuery(g *globals) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "query [flags] SQL",
		Short: "Run SQL on the database, read-only, and print the result",
		Long: `query runs one SQL statement on the database without changing it. The view
failed_logins has one row per failed authentication attempt; the table events one
row per recognised sshd line. With no SQL argument, the statement is read from stdin.`,
		Example: `  knockmap query "SELECT ip, count(*) AS n FROM failed_logins GROUP BY ip ORDER BY n DESC LIMIT 10"
  knockmap query --format csv "SELECT * FROM failed_logins" > failed.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var q string
			if len(args) == 1 {
				q = args[0]
			} else {
				b, err := io.ReadAll(cmd.InOrStdin())
				if err != nil {
					return err
				}
				q = string(b)
			}
			if strings.TrimSpace(q) == "" {
				return fmt.Errorf("no SQL given")
			}
			db, err := store.Open(cmd.Context(), g.dbPath(), store.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer db.Close()
			return db.Print(cmd.Context(), cmd.OutOrStdout(), q, format)
		},
	}
	c.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return c
}
