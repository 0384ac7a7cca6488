//go:build duckdb_arrow

package ingest

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/store"
)

// TestSettingsRestored: the thread count, compression, row group buffer,
// disabled compressions and memory limit ingest loads under are put back
// for what runs after it on the same database (the report's aggregates
// want both threads and the memory).
func TestSettingsRestored(t *testing.T) {
	dir := t.TempDir()
	log, _ := oneLineLog(t, dir)
	db := openDB(t, filepath.Join(dir, "k.duckdb"))
	settings := func() (string, string) {
		var th, mem, comp, groups, disabled string
		if err := db.QueryRow(`SELECT current_setting('threads')::VARCHAR, current_setting('memory_limit'), current_setting('force_compression'), current_setting('write_buffer_row_group_count')::VARCHAR, current_setting('disabled_compression_methods')`).Scan(&th, &mem, &comp, &groups, &disabled); err != nil {
			t.Fatal(err)
		}
		return th + " " + comp + " " + groups + " [" + disabled + "]", mem
	}
	th, mem := settings()
	ingestPaths(t, db, log)
	// the limit is printed to three digits, and comes back as printed
	if th2, mem2 := settings(); th2 != th || math.Abs(bytesOf(t, mem2)/bytesOf(t, mem)-1) > 0.01 {
		t.Errorf("after ingest: threads, compression, groups %s, memory limit %s; before: %s, %s", th2, mem2, th, mem)
	}
}

// TestSettingsOneThread: on a database opened with one thread and the
// loading memory limit (as knockmap ingest opens it) the ingest loads with
// them and leaves them so, with the other settings put back as on any
// database.
func TestSettingsOneThread(t *testing.T) {
	dir := t.TempDir()
	log, _ := oneLineLog(t, dir)
	db, err := store.Open(context.Background(), filepath.Join(dir, "k.duckdb"), store.Options{Threads: 1, MemoryLimit: ingestMemoryLimit})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var before, after string
	q := `SELECT current_setting('threads')::VARCHAR || ' ' || current_setting('force_compression') || ' ' || current_setting('write_buffer_row_group_count')::VARCHAR || ' ' || current_setting('memory_limit')`
	if err := db.QueryRow(q).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(before, "1 ") {
		t.Fatalf("opened with one thread, the settings are %q", before)
	}
	var limit string
	db.QueryRow(`SELECT current_setting('memory_limit')`).Scan(&limit)
	if !sameSetting("memory_limit", limit, ingestMemoryLimit) {
		t.Fatalf("opened with the loading limit %s, DuckDB has %q, which sameSetting does not take for it", ingestMemoryLimit, limit)
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

// TestIngestCheckpoints: an ingest that loads rows leaves them in the
// database file, not in the write-ahead log, with the dictionary's strings
// stored as they are (no FSST or dictionary compression to try at the
// close).
func TestIngestCheckpoints(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "k.duckdb")
	// enough strings alike for DuckDB to choose FSST or a dictionary if let
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "Jan  5 10:%02d:%02d pi sshd[1]: Failed password for invalid user webadmin%05d from 198.51.100.%d port %d ssh2\n", i/60%60, i%60, i, i%250, 1024+i)
	}
	log := filepath.Join(dir, "auth.log")
	if err := os.WriteFile(log, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(log, old, old)
	db := openDB(t, path)
	if st := ingestPaths(t, db, log); st.NewRows != 5000 {
		t.Fatalf("%d new rows, want 5000", st.NewRows)
	}
	if fi, err := os.Stat(path + ".wal"); err == nil && fi.Size() > 0 {
		t.Errorf("after the ingest the write-ahead log holds %d bytes", fi.Size())
	}
	var methods string
	if err := db.QueryRow(`SELECT string_agg(DISTINCT compression, ',' ORDER BY compression) FROM pragma_storage_info('dict') WHERE segment_type = 'VARCHAR'`).Scan(&methods); err != nil {
		t.Fatal(err)
	}
	if methods != "Uncompressed" {
		t.Errorf("dictionary strings stored with %q, want Uncompressed", methods)
	}
}
