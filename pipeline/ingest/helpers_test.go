package ingest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// oneLineLog writes an auth.log of one failed login into dir, last
// modified an hour ago (settled: its lines are read whole), and returns its
// path and that time.
func oneLineLog(t testing.TB, dir string) (string, time.Time) {
	t.Helper()
	log := filepath.Join(dir, "auth.log")
	if err := os.WriteFile(log, []byte("Jan  5 10:00:01 pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(log, old, old)
	return log, old
}
