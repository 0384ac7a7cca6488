//go:build duckdb_arrow

package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

func ingestOnce(b *testing.B, log, dbPath string) *Stats {
	ctx := context.Background()
	os.Remove(dbPath)
	os.Remove(dbPath + ".wal")
	db, err := store.Open(ctx, dbPath, store.Options{Threads: benchThreads()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	srcs, errs := input.Expand([]string{log}, nil, time.Now())
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	st, err := loadExisting(ctx, db.DB, srcs, Options{Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkIngest loads gen-authlog's 1M-line syslog into a new DB file,
// end to end: read, parse, Arrow, DuckDB, commit.
func BenchmarkIngest(b *testing.B) {
	log := sharedtest.Log(b, 1_000_000)
	fi, _ := os.Stat(log)
	dbPath := filepath.Join(b.TempDir(), "bench.duckdb")
	b.SetBytes(fi.Size())
	b.ResetTimer()
	var lines int64
	for i := 0; i < b.N; i++ {
		st := ingestOnce(b, log, dbPath)
		lines += st.Lines
	}
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkDuckDBSQLBaseline times DuckDB's own SQL path on the same file:
// read_csv of the lines plus regexp_extract of the failed-password fields
// into a table (testdata/bench/duckdb_sql_baseline.sql at the top).
func BenchmarkDuckDBSQLBaseline(b *testing.B) {
	log := sharedtest.Log(b, 1_000_000)
	fi, _ := os.Stat(log)
	q, err := os.ReadFile("../../testdata/bench/duckdb_sql_baseline.sql")
	if err != nil {
		b.Fatal(err)
	}
	query := strings.ReplaceAll(string(q), "$PATH", log)
	dbPath := filepath.Join(b.TempDir(), "baseline.duckdb")
	b.SetBytes(fi.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		os.Remove(dbPath)
		os.Remove(dbPath + ".wal")
		db, err := store.Open(context.Background(), dbPath, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(query); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	b.ReportMetric(1_000_000*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

func benchThreads() int {
	n, _ := strconv.Atoi(os.Getenv("KNOCKMAP_BENCH_THREADS"))
	return n
}
