package reading

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

// TestScanMapped: the scan through mappings counts what the scan that
// reads the file counts, in one window or in many (lines across their
// edges), and leaves a line longer than a window to the reading scan.
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
	if want.Wraps != 2 || want.Lines != 90000 {
		t.Fatalf("the log should cross two New Years in 90,000 lines: %+v", want)
	}
	defer func(w int64) { mapWindow = w }(mapWindow)
	for _, w := range []int64{mapWindow, 1 << 20, 3 * 4096, 4096} {
		mapWindow = w
		got, ok := scanMapped(context.Background(), path)
		if !ok || got != want {
			t.Fatalf("windows of %d bytes: %+v (ok %v), read: %+v", w, got, ok, want)
		}
		stillMapped(t, path)
	}
	long := filepath.Join(t.TempDir(), "long.log")
	line := "Nov  1 10:00:00 pi sshd[1]: " + strings.Repeat("x", 10000) + "\n"
	if err := os.WriteFile(long, []byte(line+line), 0o644); err != nil {
		t.Fatal(err)
	}
	mapWindow = 8192
	if got, ok := scanMapped(context.Background(), long); ok {
		t.Errorf("a line longer than a window was scanned through mappings: %+v", got)
	}
	mapWindow = 1 << 20
	if got, ok := scanMapped(context.Background(), long); !ok || got.Lines != 2 {
		t.Errorf("two long lines in one window: %+v (ok %v)", got, ok)
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
	defer func(f func(*os.File)) { afterOpen = f }(afterOpen)
	afterOpen = func(f *os.File) {
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
	stillMapped(t, path)
	// and the process goes on: the fault was this scan's alone
	afterOpen = func(*os.File) {}
	if _, ok := scanMapped(context.Background(), path); ok {
		t.Error("an empty file was scanned through a mapping")
	}
}

// stillMapped fails t if the process still maps path (see /proc/self/maps):
// each window is to be unmapped after its scan, and on a fault.
func stillMapped(t *testing.T, path string) {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(maps), path) {
		t.Errorf("%s is still mapped after the scan", path)
	}
}
