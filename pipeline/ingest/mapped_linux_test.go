package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/pipeline/syslog"
)

// mappedLog writes a classic log that crosses two New Years, about 6 MB.
func mappedLog(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, m := range []string{"Nov", "Dec", "Jan", "Dec", "Jan", "Jun", "Dec", "Jan", "Feb"} {
		for i := 0; i < 10000; i++ {
			fmt.Fprintf(&b, "%s %2d 10:00:00 pi sshd[1]: Failed password for root from 192.0.2.%d port 22 ssh2\n", m, 1+i%28, i%250)
		}
	}
	path := filepath.Join(t.TempDir(), "auth.log")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestScanMapped: the scan through a mapping counts what the scan that
// reads the file counts.
func TestScanMapped(t *testing.T) {
	path := mappedLog(t)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := syslog.ScanYears(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	got, ok := scanMapped(context.Background(), path)
	if !ok || got != want {
		t.Fatalf("mapped: %+v (ok %v), read: %+v", got, ok, want)
	}
	if want.Wraps != 2 || want.Lines != 90000 {
		t.Fatalf("the log should cross two New Years in 90,000 lines: %+v", want)
	}
	if _, ok := scanMapped(context.Background(), filepath.Join(t.TempDir(), "none")); ok {
		t.Error("a missing file was scanned")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, ok := scanMapped(ctx, path); ok {
		t.Error("a cancelled scan says it finished")
	}
}

// TestScanMappedTruncated: a file truncated while it is mapped (logrotate's
// copytruncate) makes the scan fault past the new end; the fault is
// recovered, and the scan says it has no result, so that the file is read
// instead.
func TestScanMappedTruncated(t *testing.T) {
	path := mappedLog(t)
	defer func(f func(*os.File)) { afterMapping = f }(afterMapping)
	afterMapping = func(f *os.File) {
		if err := f.Truncate(0); err != nil {
			// opened read-only: truncate by path
			if err := os.Truncate(f.Name(), 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, ok := scanMapped(context.Background(), path); ok {
		t.Fatalf("a scan of a file truncated under it finished: %+v", got)
	}
	// and the process goes on: the fault was this scan's alone
	afterMapping = func(*os.File) {}
	if _, ok := scanMapped(context.Background(), path); ok {
		t.Error("an empty file was scanned through a mapping")
	}
}
