//go:build duckdb_arrow

package main

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/knockmap/knockmap/internal/sqltest"
)

// oldSlowAddresses is slow_addresses as sql/0014_campaigns.sql made it,
// each address's gaps windowed over its string.
const oldSlowAddresses = `WITH lines AS (
    SELECT ip, ts, attempts, epoch(ts) - epoch(lag(ts) OVER (PARTITION BY ip ORDER BY ts)) AS gap_s
    FROM failed_login_lines WHERE ip IS NOT NULL
), per AS (
    SELECT ip, CAST(sum(attempts) AS BIGINT) AS attempts, min(ts) AS first_seen, max(ts) AS last_seen,
           count(DISTINCT utc_day(ts)) AS days, (epoch(max(ts)) - epoch(min(ts))) / 3600.0 AS span_hours,
           quantile_cont(gap_s, 0.5) AS median_gap_s, quantile_cont(gap_s, [0.1, 0.25, 0.75, 0.9]) AS gap_quantiles_s,
           min(gap_s) AS min_gap_s, max(gap_s) AS max_gap_s
    FROM lines GROUP BY ip
)
SELECT ip, attempts, first_seen, last_seen, days, round(attempts / span_hours, 3) AS per_hour,
       median_gap_s, min_gap_s, gap_quantiles_s[1], gap_quantiles_s[2], gap_quantiles_s[3], gap_quantiles_s[4], max_gap_s
FROM per
WHERE days >= 3 AND span_hours > 0 AND attempts / span_hours < 10 AND median_gap_s >= 360 AND attempts >= 5 * days
ORDER BY ip`

// TestSlowAddressesByIDMatchesStrings: slow_addresses, windowed over
// ip_id, gives the rows of the view windowed over the address string, on
// gen-authlog's connection profile with its two planted slow brute forces.
func TestSlowAddressesByIDMatchesStrings(t *testing.T) {
	sdb := generatedDB(t, "--lines", "100000", "--connections", filepath.Join(t.TempDir(), "c.csv"))
	want := sqltest.Rows(t, sdb.DB, oldSlowAddresses)
	got := sqltest.Rows(t, sdb.DB, `SELECT * FROM slow_addresses ORDER BY ip`)
	if len(want) < 2 {
		t.Fatalf("the old view finds %d slow addresses, want the 2 planted: the comparison says little", len(want))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("slow_addresses:\n got %v\nwant %v", got, want)
	}
}
