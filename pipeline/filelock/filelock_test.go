package filelock

import (
	"context"
	"errors"
	"path/filepath"
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
