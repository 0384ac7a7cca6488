package filelock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestAcquire(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	release, err := Acquire(context.Background(), path, 0)
	if err != nil {
		t.Fatal(err)
	}
	// held: a second taker gives up after its wait
	start := time.Now()
	if _, err := Acquire(context.Background(), path, 250*time.Millisecond); !errors.Is(err, ErrHeld) {
		t.Fatalf("second lock: %v, want ErrHeld", err)
	}
	if time.Since(start) < 250*time.Millisecond {
		t.Error("gave up before its wait")
	}
	// one that waits forever gets it when the first lets go, or stops with its context
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if _, err := Acquire(ctx, path, Forever); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting forever under a deadline: %v", err)
	}
	go func() { time.Sleep(150 * time.Millisecond); release() }()
	release2, err := Acquire(context.Background(), path, Forever)
	if err != nil {
		t.Fatal(err)
	}
	release2()
}

// TestLockPathPlanted: a link planted at the lock path, dangling or not, is
// refused with ErrNotAFile and its target is neither made nor changed; so
// is a FIFO, which no lock is taken on.
func TestLockPathPlanted(t *testing.T) {
	for _, c := range []struct {
		name  string
		plant func(lock, target string) error
	}{
		{"dangling link", func(lock, target string) error { return os.Symlink(target, lock) }},
		{"link to a file", func(lock, target string) error {
			if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
				return err
			}
			return os.Symlink(target, lock)
		}},
		{"fifo", func(lock, target string) error { return syscall.Mkfifo(lock, 0o644) }},
	} {
		dir := t.TempDir()
		lock, target := filepath.Join(dir, "x.lock"), filepath.Join(dir, "target")
		if err := c.plant(lock, target); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(target)
		release, err := Acquire(context.Background(), lock, 0)
		if err == nil {
			release()
			t.Errorf("%s: locked", c.name)
		} else if !errors.Is(err, ErrNotAFile) {
			t.Errorf("%s: %v, want ErrNotAFile", c.name, err)
		}
		after, statErr := os.ReadFile(target)
		if string(after) != string(before) || (before == nil) != os.IsNotExist(statErr) {
			t.Errorf("%s: the target was changed or made (%q, %v)", c.name, after, statErr)
		}
	}
}
