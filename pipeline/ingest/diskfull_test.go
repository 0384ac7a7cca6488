//go:build duckdb_arrow

package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/store"
)

// smallFS mounts a tmpfs of size MiB for the test, or skips it where the
// test may not mount one (not root, no mount(8), in a container without
// the capability).
func smallFS(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%dm", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a %d MiB tmpfs for a full disk (needs root and mount(8)): %v %s", size, err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

// writeLog writes n failed logins with random usernames and addresses,
// which compress badly, as a log that fills a database does.
func writeLog(t *testing.T, path string, n int, seed uint64) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range n {
		fmt.Fprintf(w, "Mar  5 %02d:%02d:%02d pi sshd[%d]: Failed password for invalid user u%d from %d.%d.%d.%d port %d ssh2\n",
			i/3600%24, i/60%60, i%60, 1000+r.IntN(30000), r.IntN(500), 1+r.IntN(220), r.IntN(256), r.IntN(64), r.IntN(4), 1024+r.IntN(60000))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func ingestFile(t *testing.T, dbPath, log string) error {
	t.Helper()
	db, err := store.Open(context.Background(), dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srcs, errs := input.Expand([]string{log}, nil, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var warn bytes.Buffer
	_, err = loadExisting(context.Background(), db.DB, srcs, Options{Location: time.UTC, Year: 2025, Warn: &warn})
	if bytes.Contains(warn.Bytes(), []byte("giving back")) {
		t.Errorf("giving back the space failed: %s", warn.Bytes())
	}
	return err
}

// TestDiskNearlyFull: an ingest too large for the database's file system
// stops while the margin is still free, loads nothing, and gives back the
// space its rows took, so that the database is about as large as before
// and the next, small ingest loads. On 51014cb the ingest ran into the
// full disk and the file kept the whole file system.
func TestDiskNearlyFull(t *testing.T) {
	const fsMiB = 30
	dir := smallFS(t, fsMiB)
	dbPath := filepath.Join(dir, "k.duckdb")
	logs := t.TempDir()
	small, big, tiny := filepath.Join(logs, "small.log"), filepath.Join(logs, "big.log"), filepath.Join(logs, "tiny.log")
	writeLog(t, small, 20000, 1)
	writeLog(t, big, 1500000, 2)
	writeLog(t, tiny, 10, 3)
	if err := ingestFile(t, dbPath, small); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(dbPath)
	err := ingestFile(t, dbPath, big)
	if !errors.Is(err, store.ErrDiskNearlyFull) {
		t.Errorf("the ingest too large for the disk: %v, want ErrDiskNearlyFull", err)
	}
	after, _ := os.Stat(dbPath)
	if after.Size() > before.Size()+1<<20 {
		t.Errorf("after the failed ingest the database is %d bytes, %d before: the space was not given back", after.Size(), before.Size())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(left) > 0 {
		t.Errorf("left behind: %q", left)
	}
	if err := ingestFile(t, dbPath, tiny); err != nil {
		t.Errorf("the next small ingest: %v", err)
	}
	t.Logf("database %d bytes, %d after the failed ingest, on a %d MiB tmpfs", before.Size(), after.Size(), fsMiB)
}
