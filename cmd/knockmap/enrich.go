//go:build duckdb_arrow

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/enrich"
	"github.com/knockmap/knockmap/pipeline/geoip"
	"github.com/knockmap/knockmap/pipeline/store"
)

// geoipFlags chooses the GeoIP databases.
type geoipFlags struct {
	paths []string
}

func (f *geoipFlags) add(c *cobra.Command) {
	c.Flags().StringSliceVar(&f.paths, "geoip", nil, "GeoIP database files or folders of .mmdb files, asked in order (default: $KNOCKMAP_GEOIP, "+
		"$XDG_DATA_HOME/knockmap/geoip, /usr/share/GeoIP, /var/lib/GeoIP)")
}

// locator opens the databases --geoip names, or those found on the search
// path; problems with found ones are warnings, with named ones errors.
func (f *geoipFlags) locator(warn io.Writer) (*geoip.Locator, func(), error) {
	explicit := len(f.paths) > 0
	paths := f.paths
	if !explicit {
		paths = geoip.SearchPath()
	}
	dbs, err := geoip.OpenAll(paths, explicit)
	if err != nil {
		if explicit {
			return nil, nil, err
		}
		fmt.Fprintln(warn, "knockmap: warning:", err)
	}
	closeAll := func() {
		for _, d := range dbs {
			d.Close()
		}
	}
	return geoip.NewLocator(dbs), closeAll, nil
}

// runEnrich answers the addresses that need it and prints a summary line.
func runEnrich(ctx context.Context, w, warn io.Writer, db *sql.DB, gf *geoipFlags, opt enrich.Options) error {
	loc, closeAll, err := gf.locator(warn)
	if err != nil {
		return err
	}
	defer closeAll()
	m := startMeter(warn, "locating")
	opt.Progress = m.Set
	st, err := enrich.Run(ctx, db, loc, opt)
	m.Stop()
	if err != nil {
		return fmt.Errorf("enrich: %w", err)
	}
	printEnrich(w, st, loc)
	return nil
}

func printEnrich(w io.Writer, st *enrich.Stats, loc *geoip.Locator) {
	pct := func(n int) float64 {
		if st.Lookups == 0 {
			return 0
		}
		return 100 * float64(n) / float64(st.Lookups)
	}
	fmt.Fprintf(w, "%d addresses located (country %.1f%%, coordinates %.1f%%, ASN %.1f%%), %d not public; %.2f s\n",
		st.Lookups, pct(st.Countries), pct(st.Coordinates), pct(st.ASNs), st.NotPublic, st.Elapsed.Seconds())
	if st.Lookups > 0 && !loc.HasCities() {
		fmt.Fprintln(w, "no city database, so countries only; `knockmap geoip update` downloads DB-IP Lite for cities, coordinates and ASNs")
	}
}

func newEnrich(g *globals) *cobra.Command {
	var gf geoipFlags
	var opt enrich.Options
	c := &cobra.Command{
		Use:   "enrich",
		Short: "Locate each source address not located yet: country, city, coordinates, ASN",
		Long: `enrich looks up every address in the events that the ip_geo table has no answer
for, in the GeoIP databases (GeoLite2/GeoIP2 City, Country and ASN; DB-IP Lite), each
address in the first database that covers it. Addresses no database covers still get a
country from an embedded table (IP2Location LITE). Private, loopback, link-local and
documentation addresses are marked, not looked up. With --refresh every address is
answered again, after a database was updated.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withDB(cmd.Context(), g.dbPath(), store.Options{}, func(db *sql.DB) error {
				return runEnrich(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), db, &gf, opt)
			})
		},
	}
	gf.add(c)
	c.Flags().BoolVar(&opt.Refresh, "refresh", false, "answer every address again, replacing the old answers")
	return c
}

func newGeoIP() *cobra.Command {
	c := &cobra.Command{
		Use:   "geoip",
		Short: "Download GeoIP databases and show which are in use",
	}
	var dir, base string
	update := &cobra.Command{
		Use:   "update",
		Short: "Download this month's DB-IP Lite city and ASN databases (CC BY 4.0, no account needed)",
		Long: `update downloads DB-IP's free Lite city and ASN databases for this month (last
month's when this month's is not out yet), checks that each opens and answers, and then
swaps it in for the old one. Run enrich --refresh afterwards to re-answer the addresses.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGeoIPUpdate(cmd.Context(), cmd.OutOrStdout(), base, dir, time.Now())
		},
	}
	update.Flags().StringVar(&dir, "dir", geoip.DefaultDir(), "folder to put the databases in")
	update.Flags().StringVar(&base, "base-url", geoip.DBIPBaseURL, "where DB-IP publishes the files")

	var gf geoipFlags
	status := &cobra.Command{
		Use:   "status",
		Short: "Show which GeoIP databases enrich would use, in the order it asks them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGeoIPStatus(cmd.OutOrStdout(), cmd.ErrOrStderr(), &gf)
		},
	}
	gf.add(status)
	c.AddCommand(update, status)
	return c
}

// runGeoIPUpdate downloads DB-IP Lite city and ASN from base into dir, for
// the month of now, and says what it put there.
func runGeoIPUpdate(ctx context.Context, w io.Writer, base, dir string, now time.Time) error {
	client := &http.Client{Timeout: 10 * time.Minute}
	ups, err := geoip.UpdateDBIP(ctx, client, base, dir, now)
	for _, u := range ups {
		fmt.Fprintf(w, "%s: %s built %s, %d MB, from %s\n", u.Path, u.Type, u.Built.Format(time.DateOnly), u.Bytes>>20, u.URL)
	}
	if err != nil {
		return fmt.Errorf("geoip update: %w (the databases already there are unchanged)", err)
	}
	fmt.Fprintln(w, geoip.Credit("db-ip"))
	return nil
}

// runGeoIPStatus lists the databases that gf finds, in the order enrich
// asks them, and the fallbacks.
func runGeoIPStatus(w, warn io.Writer, gf *geoipFlags) error {
	loc, closeAll, err := gf.locator(warn)
	if err != nil {
		return err
	}
	defer closeAll()
	dbs := loc.Databases()
	if len(dbs) == 0 {
		fmt.Fprintf(w, "no GeoIP database found in %s\n", strings.Join(geoip.SearchPath(), ", "))
	}
	for _, d := range dbs {
		var roles []string
		if d.Roles&geoip.Location != 0 {
			roles = append(roles, map[bool]string{true: "city", false: "country"}[d.City])
		}
		if d.Roles&geoip.ASN != 0 {
			roles = append(roles, "asn")
		}
		fmt.Fprintf(w, "%s\t%s\tbuilt %s\t%s\n", d.Path, d.Type, d.Built.Format(time.DateOnly), strings.Join(roles, ","))
		fmt.Fprintf(w, "\t%s\n", geoip.Credit(d.Type+" "+d.Label()))
	}
	if d, err := geoip.Embedded(); err == nil {
		fmt.Fprintf(w, "fallback: %s\n\t%s\n", d.Name(), geoip.Credit("db-ip"))
	}
	fmt.Fprintf(w, "fallback: %s\n\t%s\n", geoip.IPLoc, geoip.Credit("ip2location"))
	return nil
}
