package syslog

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkScanYears times the first pass that year-less logs need, over
// gen-authlog's 1M-line log when the ingest benchmarks have made it.
func BenchmarkScanYears(b *testing.B) {
	path := filepath.Join(os.TempDir(), "knockmap-bench", "auth-1000000.log")
	fi, err := os.Stat(path)
	if err != nil {
		b.Skip("run the ingest benchmarks first to make ", path)
	}
	b.SetBytes(fi.Size())
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		s, err := ScanYears(f)
		f.Close()
		if err != nil || s.Wraps != 1 {
			b.Fatal(s, err)
		}
	}
}
