//go:build duckdb_arrow

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/blocklist"
	"github.com/knockmap/knockmap/pipeline/store"
)

// blocklistFlags are knockmap blocklist's choices.
type blocklistFlags struct {
	since     string
	min       int64
	aggregate string
	format    string
	allow     []string
	duration  time.Duration
}

func newBlocklist(g *globals) *cobra.Command {
	var f blocklistFlags
	c := &cobra.Command{
		Use:   "blocklist",
		Short: "Print an advisory block list of the addresses that failed to log in (knockmap never bans)",
		Long: `blocklist prints the addresses (or /24 and /48 networks, or the addresses of the
busiest ASNs) that failed to log in since --since at least --min-attempts times, for a
firewall or a reputation service to take: knockmap never bans anything itself.

It never lists a private, shared, loopback, link-local, documentation (RFC 5737, RFC
3849) or reserved address, the owner's own addresses (those with an accepted login and
no failure ever), nor an --allow address or network; a network holding any of these is
listed address by address instead.

Formats: plain; nft (nft -f FILE: table inet knockmap, sets blocklist and blocklist6);
ipset (ipset restore < FILE: sets knockmap4 and knockmap6, emptied then filled);
fail2ban (fail2ban-client set sshd banip lines, for sh); crowdsec (CSV for cscli
decisions import -i FILE); abuseipdb (bulk-report CSV, categories 18 and 22, a comment
of counts only: no username is ever shown).`,
		Example: `  knockmap blocklist --since 30d --min-attempts 20 --format nft > /etc/nftables.d/knockmap.nft
  knockmap blocklist --aggregate /24 --format ipset --allow 198.51.100.0/24 | ipset restore`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withDB(cmd.Context(), g.dbPath(), store.Options{ReadOnly: true}, func(db *sql.DB) error {
				return runBlocklist(cmd.Context(), cmd.OutOrStdout(), db, f, time.Now())
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.since, "since", "30d", "from this day, time or duration back (30d, 12h, 2026-01-31); \"\" for all")
	fl.Int64Var(&f.min, "min-attempts", 1, "failed attempts an address (or network, or ASN) made at least")
	fl.StringVar(&f.aggregate, "aggregate", "ip", "list addresses (ip), /24 and /48 networks (/24) or the addresses of ASNs over the minimum (asn)")
	fl.StringVar(&f.format, "format", "plain", "output: "+strings.Join(blocklist.Formats, ", "))
	fl.StringSliceVar(&f.allow, "allow", nil, "an address or network never to list (repeatable, or comma-separated)")
	fl.DurationVar(&f.duration, "duration", 24*time.Hour, "how long a CrowdSec decision lasts")
	return c
}

// runBlocklist writes the block list f asks for.
func runBlocklist(ctx context.Context, w io.Writer, db *sql.DB, f blocklistFlags, now time.Time) error {
	since, err := parseWhen(f.since, now)
	if err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	var allow []netip.Prefix
	for _, a := range f.allow {
		p, err := netip.ParsePrefix(a)
		if err != nil {
			ad, err2 := netip.ParseAddr(a)
			if err2 != nil {
				return fmt.Errorf("--allow %q: not an address or network", a)
			}
			ad = ad.Unmap()
			p = netip.PrefixFrom(ad, ad.BitLen())
		}
		allow = append(allow, p.Masked())
	}
	srcs, owner, err := blocklist.Load(ctx, db, since)
	if err != nil {
		return err
	}
	es, err := blocklist.Select(srcs, blocklist.Options{MinAttempts: f.min, Aggregate: f.aggregate, Allow: allow, Owner: owner})
	if err != nil {
		return err
	}
	return blocklist.Write(w, es, f.format, blocklist.WriteOptions{Duration: f.duration})
}
