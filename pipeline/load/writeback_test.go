//go:build duckdb_arrow

package load

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/knockmap/knockmap/pipeline/store"
)

// openFileDB opens a new database in a file, closed at the test's end.
func openFileDB(t *testing.T) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "k.duckdb")
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// TestWritebackFile: the syncing is done on the database's own file (the
// one DuckDB attached), found from the connection the loader uses,
// through DuckDB's own descriptor, and stops with the transaction.
func TestWritebackFile(t *testing.T) {
	ctx := context.Background()
	db, path := openFileDB(t)
	l, err := Begin(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Rollback()
	got, err := dbFile(ctx, l.Conn())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.Stat(path)
	if st, err := os.Stat(got); err != nil || !os.SameFile(st, want) {
		t.Fatalf("the database file is %q (%v), not %s", got, err, path)
	}
	if l.sync == nil {
		t.Fatal("no syncing for a database in a file")
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(l.sync.file.FD, &st); err != nil || uint64(st.Ino) != want.Sys().(*syscall.Stat_t).Ino {
		t.Fatalf("syncing descriptor %d (%v), not one of %s", l.sync.file.FD, err, path)
	}
	for i := 0; i < 3; i++ {
		l.sync.Kick()
	}
	l.Rollback()
	select {
	case <-l.sync.done:
	default:
		t.Fatal("the syncing goroutine outlived the transaction")
	}
	// the descriptor is DuckDB's: still open, on the same file
	if err := syscall.Fstat(l.sync.file.FD, &st); err != nil || uint64(st.Ino) != want.Sys().(*syscall.Stat_t).Ino {
		t.Errorf("after the transaction DuckDB's descriptor %d is gone (%v)", l.sync.file.FD, err)
	}
}

// TestWritebackKeepsLock: DuckDB holds an fcntl lock on the database file
// it has open, and a process loses every such lock on a file when it
// closes any descriptor of it; the syncing must leave DuckDB's lock in
// place, or another knockmap could open the database while this one
// writes it.
func TestWritebackKeepsLock(t *testing.T) {
	if p := os.Getenv("KNOCKMAP_TRY_LOCK"); p != "" {
		// the other process: exit 0 if it can take the lock DuckDB should hold
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		lock := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart}
		if err != nil || syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lock) != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	ctx := context.Background()
	db, path := openFileDB(t)
	locked := func() bool {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWritebackKeepsLock$")
		cmd.Env = append(os.Environ(), "KNOCKMAP_TRY_LOCK="+path)
		err := cmd.Run()
		var exit *exec.ExitError
		return errors.As(err, &exit) && exit.ExitCode() == 1
	}
	if !locked() {
		t.Fatal("another process can lock the database before any loading: the check is broken")
	}
	for _, end := range []string{"rollback", "commit"} {
		l, err := Begin(ctx, db.DB)
		if err != nil {
			t.Fatal(err)
		}
		l.sync.Kick()
		if end == "commit" {
			if err := l.Commit(ctx); err != nil {
				t.Fatal(err)
			}
		} else {
			l.Rollback()
		}
		if !locked() {
			t.Fatalf("after a load's %s another process can lock the database this one has open", end)
		}
	}
}
