//go:build duckdb_arrow

package ingest

import (
	"context"
	"math"
	"path/filepath"
	"strings"
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

// TestSettingsOneThread: on a database opened with one thread (as knockmap
// ingest opens it) the ingest loads on that thread and leaves it at one,
// with the other settings put back as on any database.
func TestSettingsOneThread(t *testing.T) {
	dir := t.TempDir()
	log, _ := oneLineLog(t, dir)
	db, err := store.Open(context.Background(), filepath.Join(dir, "k.duckdb"), store.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var before, after string
	q := `SELECT current_setting('threads')::VARCHAR || ' ' || current_setting('force_compression') || ' ' || current_setting('write_buffer_row_group_count')::VARCHAR`
	if err := db.QueryRow(q).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(before, "1 ") {
		t.Fatalf("opened with one thread, the settings are %q", before)
	}
	if st := ingestPaths(t, db, log); st.NewRows != 1 {
		t.Fatalf("%d new rows, want 1", st.NewRows)
	}
	if err := db.QueryRow(q).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("after ingest: %q; before: %q", after, before)
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
