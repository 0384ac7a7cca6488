//go:build duckdb_arrow

package ingest

import (
	"testing"

	"github.com/knockmap/knockmap/pipeline/load"
)

// TestTailLimit: within the last load.BatchRows rows of a file (estimated
// from the rows per byte so far), a batch ends on the next boundary of
// tailRows at or after the rows it holds; before that, and when the file's
// size is not known, the limit stands.
func TestTailLimit(t *testing.T) {
	const full = load.BatchRows
	for _, c := range []struct {
		name             string
		limit, sent, n   int
		rows, read, left int64
		want             int
	}{
		{"far from the end", full, 7 * full, 1000, 800_000, 100_000_000, 200_000_000, full},
		{"size not known", full, 7 * full, 1000, 800_000, 100_000_000, -1, full},
		{"nothing read yet", full, 0, 0, 0, 0, 1000, full},
		{"near the end, batch starting", full, 7 * full, 0, 900_000, 112_000_000, 123_000_000, tailRows},
		{"near the end, batch part full", full, 7 * full, 40_000, 900_000, 112_000_000, 123_000_000, 2 * tailRows},
		{"near the end, on a boundary", full, 7 * full, tailRows, 900_000, 112_000_000, 123_000_000, tailRows},
		{"near the end, after an odd start", full, 1000, 0, 50_000, 6_000_000, 12_000_000, tailRows - 1000},
		{"never above the limit", 15360, 0, 0, 10_000, 1_000_000, 2_000_000, 15360},
		{"read past the size (the file grew)", full, 0, 0, 10_000, 3_000_000, 2_000_000, tailRows},
	} {
		if got := tailLimit(c.limit, c.sent, c.n, c.rows, c.read, c.left); got != c.want {
			t.Errorf("%s: limit %d, want %d", c.name, got, c.want)
		}
	}
}
