//go:build duckdb_arrow

package ingest

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/knockmap/knockmap/pipeline/store"
)

// TestSettingsRestored: the thread count, compression, row group buffer
// and memory limit ingest loads under are put back for what runs after it on the same
// database (the report's aggregates want both threads and the memory).
func TestSettingsRestored(t *testing.T) {
	dir := t.TempDir()
	log, _ := oneLineLog(t, dir)
	db := openDB(t, filepath.Join(dir, "k.duckdb"))
	settings := func() (string, string) {
		var th, mem, comp, groups string
		if err := db.QueryRow(`SELECT current_setting('threads')::VARCHAR, current_setting('memory_limit'), current_setting('force_compression'), current_setting('write_buffer_row_group_count')::VARCHAR`).Scan(&th, &mem, &comp, &groups); err != nil {
			t.Fatal(err)
		}
		return th + " " + comp + " " + groups, mem
	}
	th, mem := settings()
	ingestPaths(t, db, log)
	// the limit is printed to three digits, and comes back as printed
	if th2, mem2 := settings(); th2 != th || math.Abs(bytesOf(t, mem2)/bytesOf(t, mem)-1) > 0.01 {
		t.Errorf("after ingest: threads, compression, groups %s, memory limit %s; before: %s, %s", th2, mem2, th, mem)
	}
}

// bytesOf reads DuckDB's way of printing a memory size ("18.8 GiB").
func bytesOf(t *testing.T, s string) float64 {
	b, ok := store.ParseSize(s)
	if !ok {
		t.Fatalf("memory limit %q: not a size", s)
	}
	return b
}
