package ingest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/input"
)

// TestPrescanNew: the background year scan runs for a database that is
// still to be made, and not for one that exists (its sources are mostly
// known, and a night with nothing new reads no log).
func TestPrescanNew(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	os.WriteFile(log, []byte("Jan  5 10:00:00 pi sshd[1]: Failed password for root from 198.51.100.7 port 4000 ssh2\n"), 0o644)
	srcs, errs := input.Expand([]string{log}, nil, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	defer srcs[0].Close()
	db := filepath.Join(dir, "k.duckdb")
	pre := PrescanNew(db, srcs)
	if pre == nil {
		t.Error("no year scan for a database still to be made")
	}
	pre.Stop()
	os.WriteFile(db, []byte("a database"), 0o644)
	if pre := PrescanNew(db, srcs); pre != nil {
		pre.Stop()
		t.Error("a year scan for a database that exists")
	}
}
