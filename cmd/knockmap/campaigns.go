//go:build duckdb_arrow

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/campaign"
	"github.com/knockmap/knockmap/pipeline/store"
)

func newCampaigns(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "campaigns",
		Short: "Find the campaigns: many addresses sharing one username dictionary",
		Long: `campaigns rebuilds the campaigns table (knockmap run does it after each ingest; both
leave it as it is when nothing it is found from changed):
groups of at least 3 addresses whose sets of usernames tried overlap strongly (a Jaccard
index of at least 0.5, with at least 5 names each and 5 shared, the names more than a
fifth of all addresses tried left out), with their ASNs, countries, the names at least
half of them tried, their attempts and first and last attempt. The views slow_addresses,
networks and asns answer the rest:
  knockmap query "SELECT id, len(addresses), usernames FROM campaigns"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withDB(cmd.Context(), g.dbPath(), store.Options{}, func(db *sql.DB) error {
				return runCampaigns(cmd.Context(), cmd.OutOrStdout(), db)
			})
		},
	}
}

// runCampaigns rebuilds the campaigns table (unless what they are found
// from is as it was) and prints a summary line.
func runCampaigns(ctx context.Context, w io.Writer, db *sql.DB) error {
	st, err := campaign.Rebuild(ctx, db, campaign.Options{})
	if err != nil {
		return err
	}
	left := ""
	if st.Unchanged {
		left = " (nothing they are found from changed: left as they were)"
	}
	fmt.Fprintf(w, "%d campaigns of %d addresses among %d%s; %.2f s\n", st.Campaigns, st.Members, st.Addresses, left, st.Elapsed.Seconds())
	return nil
}
